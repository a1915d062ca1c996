"""A knot of accounts passing alike amounts among themselves does not hang the cycle search.

Paths multiply with each hop: 113 payments of 9,500 or 9,900 USD among 15 accounts in five
days made 16 million open paths at the tenth hop of the any-order cycle search, and `monitor
run` gave no answer in minutes. The searches now stop growing paths past a budget and say so;
what they found up to there stands. The budget is lowered here so the test is quick: the knot
passes it at a few hops, a ring in ordinary traffic never does.
"""

from __future__ import annotations

import logging
import random

import pytest
from monitoring_builders import at, background, pay

from jalur.monitoring.detectors import paths


def _knot(seed: int = 1) -> list:
    draw = random.Random(seed)
    rows = []
    for i in range(120):
        payer, payee = draw.randrange(15), draw.randrange(15)
        if payer != payee:
            amount = draw.choice([9500.0, 9900.0])
            rows.append(pay(f"K{i}", f"A{payer}", f"A{payee}", at(i // 24, i % 24), amount))
    return rows


def test_a_knot_stops_at_the_budget_and_says_so(
    run_typology, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(paths, "MAX_OPEN_PATHS", 2_000)
    with caplog.at_level(logging.WARNING, logger=paths.__name__):
        alerts = run_typology(_knot(), "cycle")
    warned = [r.getMessage() for r in caplog.records if "exceed the budget" in r.getMessage()]
    assert warned and "cycle" in warned[0]
    assert alerts  # the cycles found before the stop are alerted


def test_ordinary_traffic_is_searched_whole(
    run_typology, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(paths, "MAX_OPEN_PATHS", 2_000)
    ring = ["R0", "R1", "R2", "R3", "R4"]
    rows = [pay(f"P{i}", ring[i], ring[(i + 1) % 5], at(i), 206.49) for i in range(5)]
    with caplog.at_level(logging.WARNING, logger=paths.__name__):
        alerts = run_typology([*rows, *background()], "cycle")
    assert not [r for r in caplog.records if "exceed the budget" in r.getMessage()]
    assert len(alerts) == 1
