"""Hostile values in `[monitoring]` are errors naming the setting, not a silent run or a
traceback from the SQL that reads them (new-user trial, round 5)."""

from __future__ import annotations

from typing import Any

import pytest

from jalur.config import ConfigError
from jalur.monitoring import load_params


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"fan_in": {"window_days": -7}}, "monitoring.fan_in.window_days"),
        ({"fan_in": {"window_days": 0}}, "monitoring.fan_in.window_days"),
        ({"fan_in": {"min_share": float("nan")}}, "monitoring.fan_in.min_share"),
        ({"fan_in": {"min_share": float("inf")}}, "monitoring.fan_in.min_share"),
        ({"cycle": {"max_length": -1}}, "monitoring.cycle.max_length"),
        ({"fan_in": {"max_counterparties": 2}}, "monitoring.fan_in.min_counterparties"),
        ({"cycle": {"min_hop_ratio": 1.5}}, "monitoring.cycle.min_hop_ratio"),
        ({"pass_through": {"max_hours": 0}}, "monitoring.pass_through.max_hours"),
        (
            {"structuring": {"thresholds": [{"currency": "IDR", "channel": "cash"}]}},
            "monitoring.structuring.thresholds item 1",
        ),
        (
            {"structuring": {"thresholds": [{"currency": "IDR", "threshold": float("nan")}]}},
            "monitoring.structuring.thresholds item 1",
        ),
        (
            {"structuring": {"thresholds": [{"currency": "IDR", "threshold": 1.0, "chanel": "x"}]}},
            "monitoring.structuring.thresholds item 1",
        ),
    ],
)
def test_hostile_value_is_named(overrides: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_params(overrides)


def test_sound_overrides_still_accepted() -> None:
    params = load_params(
        {
            "fan_in": {"window_days": 3, "min_share": 0.0, "max_counterparties": 5},
            "structuring": {"thresholds": [{"currency": "IDR", "threshold": 1e8}]},
        }
    )
    assert params.of("fan_in")["window_days"] == 3
    assert params.of("structuring")["thresholds"][0]["threshold"] == 1e8


@pytest.mark.parametrize(
    ("typologies", "said"),
    [
        ([], "is empty"),
        (["fan_in", "fan_in"], "names fan_in more than once"),
        (["trace"], "unknown trace"),
        (["run", "spark"], "unknown run, spark"),
    ],
)
def test_run_list_is_checked(typologies: list[str], said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        load_params({"run": {"typologies": typologies}})


def test_unknown_typology_lists_every_known_one() -> None:
    params = load_params({"run": {"typologies": ["fan_in"]}})
    said = params.unknown(["trace"]) or ""
    assert said.startswith("unknown typology trace (known: structuring,")
    assert "exposure" in said and "spark" not in said


@pytest.mark.parametrize(
    ("weights", "said"),
    [
        ({"counterparty": 1.0}, r"has no counterparty \(known: counterparties"),
        ({"counterparties": float("inf")}, "finite non-negative"),
        ({"counterparties": True}, "finite non-negative"),
    ],
)
def test_weights_are_checked(weights: dict[str, Any], said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        load_params({"fan_in": {"weights": weights}})


def test_known_weight_still_overrides() -> None:
    params = load_params({"fan_in": {"weights": {"burst": 0.5}}})
    assert params.weights("fan_in")["burst"] == 0.5


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"fan_in": {"min_counterparties": "5"}}, "min_counterparties must be a whole number"),
        ({"fan_in": {"min_share": "0.2"}}, "min_share must be a number"),
        ({"corridor": {"black_list": "IR"}}, "black_list must be a list"),
        ({"exposure": {"allocation": 1}}, "allocation must be text"),
    ],
)
def test_a_value_of_another_kind_is_named_in_words(overrides: dict[str, Any], said: str) -> None:
    """The error named Python's types: "min_counterparties must be a int, not '5'"."""
    with pytest.raises(ConfigError, match=said):
        load_params(overrides)
