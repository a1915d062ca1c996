"""Fans count distinct counterparties, not payments: three payers paying twice each are three.

The payments fall on days 2 and 4 after the first Monday of 2025, on either side of a
half-window boundary (day 3.0 for 7-day windows), so the cheap per-half bound lets the window
through (3 + 3 >= 5) and only the exact count on the window's payments can tell 3 from 6.
The payers all pay the same amount, so fan-in's whole-data same-amount case is switched off
here (`SAME_OFF`): these tests are about the windows.
"""

from __future__ import annotations

from monitoring_builders import at, background, pay

#: fan_in / fan_out min_counterparties in defaults.toml; the repeaters stay below it.
MIN_COUNTERPARTIES = 5
SAME_OFF = {"same_amount_min_payers": 0}


def _twice(n: int, payer: str | None, payee: str | None, prefix: str) -> list[dict]:
    """`n` counterparties, each paid (or paying) twice: on day 2 and on day 4."""
    rows = []
    for i in range(n):
        orig = payer or f"{prefix}-P{i}"
        bene = payee or f"{prefix}-B{i}"
        rows.append(pay(f"{prefix}{i}a", orig, bene, at(2, i), 1000.0))
        rows.append(pay(f"{prefix}{i}b", orig, bene, at(4, i), 1000.0))
    return rows


def test_fan_in_counts_distinct_payers_not_payments(run_typology, params):
    assert params.of("fan_in")["min_counterparties"] == MIN_COUNTERPARTIES
    repeaters = _twice(3, None, "REPEATED", "R")  # 6 payments from 3 payers
    pool = _twice(MIN_COUNTERPARTIES, None, "POOL", "F")  # 10 payments from 5 payers
    alerts = run_typology([*repeaters, *pool, *background()], "fan_in", **SAME_OFF)
    assert [a.account for a in alerts] == ["POOL"]
    assert alerts[0].facts["counterparties"] == MIN_COUNTERPARTIES


def test_fan_out_counts_distinct_payees_not_payments(run_typology, params):
    assert params.of("fan_out")["min_counterparties"] == MIN_COUNTERPARTIES
    repeaters = _twice(3, "REPEATER", None, "R")  # 6 payments to 3 payees
    hub = _twice(MIN_COUNTERPARTIES, "HUB", None, "F")  # 10 payments to 5 payees
    alerts = run_typology([*repeaters, *hub, *background()], "fan_out")
    assert [a.account for a in alerts] == ["HUB"]
    assert alerts[0].facts["counterparties"] == MIN_COUNTERPARTIES


def test_three_payers_twice_each_alert_only_when_three_is_enough(run_typology):
    """The control: the same repeaters do make a fan-in when the threshold is three."""
    repeaters = _twice(3, None, "REPEATED", "R")
    alerts = run_typology([*repeaters, *background()], "fan_in", min_counterparties=3, **SAME_OFF)
    assert [a.account for a in alerts] == ["REPEATED"]
    assert alerts[0].facts["counterparties"] == 3
    assert (
        run_typology([*repeaters, *background()], "fan_in", min_counterparties=4, **SAME_OFF) == []
    )
