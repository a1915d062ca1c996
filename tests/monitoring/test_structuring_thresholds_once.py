"""A structuring threshold is given once per currency and channel: a payment matching two equal
thresholds counted as two pieces.

`[[structuring.thresholds]]` for USD 10,000 on any channel and again for USD 10,000 on cash (or
the same table twice) joined each cash payment to both, and two deposits of 9,500 made a burst
of four "pieces" (three make an alert). Such a file is refused naming both items; a currency
written ` usd ` passed the check (trimmed) and then never matched a payment (not trimmed).
"""

from __future__ import annotations

from typing import Any

import pytest
from monitoring_builders import at, background, pay

from jalur.config import ConfigError
from jalur.monitoring import load_params

USD_ANY = {"currency": "USD", "threshold": 10_000}
USD_CASH = {"currency": "USD", "channel": "cash", "threshold": 10_000}


@pytest.mark.parametrize(
    "items",
    [
        [USD_ANY, USD_ANY],
        [USD_ANY, USD_CASH],
        [USD_CASH, {"currency": " usd", "channel": "CASH ", "threshold": 10_000.0}],
    ],
)
def test_one_threshold_twice_for_a_currency_and_channel_is_refused(items: list[Any]) -> None:
    with pytest.raises(ConfigError, match=r"thresholds items 1 and 2: .* counted twice"):
        load_params({"structuring": {"thresholds": items}})


def test_thresholds_of_other_channels_or_amounts_stay_accepted() -> None:
    other = {"currency": "USD", "channel": "wire", "threshold": 10_000}
    lower = {"currency": "USD", "channel": "cash", "threshold": 3_000}
    load_params({"structuring": {"thresholds": [USD_CASH, other, lower]}})


def test_a_currency_written_with_spaces_matches_payments(run_typology) -> None:
    spaced = [{"currency": " usd ", "channel": " Cash", "threshold": 10_000}]
    pieces = [
        pay(f"C{i}", "SMURF", f"B{i}", at(2, i), 9_500.0 + i, channel="cash") for i in range(3)
    ]
    alerts = run_typology([*pieces, *background()], "structuring", thresholds=spaced)
    assert [(a.account, a.facts["pieces"]) for a in alerts] == [("SMURF", 3)]
