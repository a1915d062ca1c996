"""Two bursts of one account months apart are two alerts, each with its own payments.

An alert of a windowed typology (fans, gather-scatter, structuring) was keyed by its account
alone: a second fan-in into the same account in the summer was the spring's alert again, its
evidence replaced or mixed with the spring's. Each burst (a run of busy windows) is now its own
alert, whose id stays the same when the pass is run again or payments are added after it.
"""

from __future__ import annotations

from typing import Any

from monitoring_builders import at, background, pay

SAME_OFF = {"same_amount_min_payers": 0, "small_min_counterparties": 0}
SPRING, SUMMER = 2.0, 150.0


def _fan_in(day: float, prefix: str) -> list[dict[str, Any]]:
    return [
        pay(f"{prefix}{i}", f"{prefix}-P{i}", "POOL", at(day, i), 900.0 + 40 * i) for i in range(6)
    ]


def _fan_out(day: float, prefix: str) -> list[dict[str, Any]]:
    return [
        pay(f"{prefix}{i}", "HUB", f"{prefix}-B{i}", at(day, i), 900.0 + 40 * i) for i in range(6)
    ]


def _gather_scatter(day: float, prefix: str) -> list[dict[str, Any]]:
    ins = [pay(f"{prefix}i{i}", f"{prefix}-P{i}", "MID", at(day, i), 1000.0 + i) for i in range(5)]
    outs = [
        pay(f"{prefix}o{i}", "MID", f"{prefix}-B{i}", at(day + 1, i), 990.0 - i) for i in range(5)
    ]
    return [*ins, *outs]


def _structuring(day: float, prefix: str) -> list[dict[str, Any]]:
    return [
        pay(f"{prefix}{i}", "SMURF", f"{prefix}-B{i}", at(day, 2 * i), 9500.0 + 10 * i,
            channel="cash")
        for i in range(3)
    ]  # fmt: skip


def _two_bursts(run_typology, typology: str, make, **overrides: Any) -> None:
    spring, summer = make(SPRING, "S"), make(SUMMER, "U")
    both = run_typology([*spring, *summer, *background()], typology, **overrides)
    assert len(both) == 2, [a.explanation for a in both]
    assert len({a.alert_id for a in both}) == 2
    assert {a.account for a in both} == {both[0].account}
    by_start = sorted(both, key=lambda a: min(a.tx_ids))
    assert {tx for tx in by_start[0].tx_ids if tx in {r["tx_id"] for r in summer}} == set()
    assert {tx for tx in by_start[1].tx_ids if tx in {r["tx_id"] for r in spring}} == set()
    # the spring's alert keeps its id when the summer's payments are added after it …
    first = run_typology([*spring, *background()], typology, **overrides)
    assert [a.alert_id for a in first] == [
        a.alert_id for a in both if set(a.tx_ids) & set(first[0].tx_ids)
    ]
    # … and a pass over the same payments finds the same two alerts again
    again = run_typology([*spring, *summer, *background()], typology, **overrides)
    assert sorted(a.alert_id for a in again) == sorted(a.alert_id for a in both)


def test_two_fan_ins_months_apart_are_two_alerts(run_typology):
    _two_bursts(run_typology, "fan_in", _fan_in, **SAME_OFF)


def test_two_fan_outs_months_apart_are_two_alerts(run_typology):
    _two_bursts(run_typology, "fan_out", _fan_out, small_min_counterparties=0)


def test_two_gather_scatters_months_apart_are_two_alerts(run_typology):
    _two_bursts(run_typology, "gather_scatter", _gather_scatter)


def test_two_structuring_bursts_months_apart_are_two_alerts(run_typology):
    _two_bursts(run_typology, "structuring", _structuring)
