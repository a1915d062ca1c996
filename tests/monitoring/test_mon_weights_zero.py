"""A typology's feature weights may not all be 0: every alert of it scored 0.00 and its
explanation listed no reason ("Score 0.00: "), ranked below every other alert, unread."""

from __future__ import annotations

import pytest

from jalur.config import ConfigError
from jalur.monitoring import load_params


def test_weights_that_all_are_zero_are_refused_naming_the_typology() -> None:
    zero = {"counterparties": 0, "amounts_alike": 0, "burst": 0}
    with pytest.raises(ConfigError, match=r"monitoring\.fan_in\.weights.*all 0"):
        load_params({"fan_in": {"weights": zero}})


def test_a_zero_beside_another_weight_is_kept() -> None:
    params = load_params({"fan_in": {"weights": {"amounts_alike": 0, "burst": 0}}})
    assert params.weights("fan_in")["amounts_alike"] == 0.0
    assert params.weights("fan_in")["counterparties"] > 0
