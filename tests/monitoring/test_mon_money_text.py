"""Amounts in alert explanations carry their currency and keep cents on small sums: an IDR
analyst must not read "100% of 10 came back" for 10.14 USD."""

from __future__ import annotations

import re

from monitoring_builders import at, load, no_seeds, pay

from jalur.monitoring import detect, load_params
from jalur.monitoring.detectors.base import money


def test_money_names_the_currency_whole_units_from_a_thousand() -> None:
    assert money(10.14, "USD") == "10.14 USD"
    assert money(51, "IDR") == "51.00 IDR"
    assert money(5_872_968.4, "USD") == "5,872,968 USD"
    assert money(-1234.5, "EUR") == "-1,234 EUR"


def test_explanations_are_in_the_reporting_currency(run_typology) -> None:
    ring = ["R0", "R1", "R2"]
    cycle = [pay(f"C{i}", ring[i], ring[(i + 1) % 3], at(i), 10.14) for i in range(3)]
    alerts = run_typology(cycle, "cycle")
    assert re.search(r"of 10\.14 USD came back", alerts[0].explanation), alerts[0].explanation
    fan = [pay(f"F{i}", f"P{i}", "POOL", at(0, i), 1_000_000.0) for i in range(6)]
    alerts = run_typology(fan, "fan_in")
    assert "(6,000,000 USD in the busiest window)" in alerts[0].explanation


def test_a_workspace_reporting_in_idr_says_idr(store, engine) -> None:
    ring = ["R0", "R1", "R2"]
    load(store, [pay(f"C{i}", ring[i], ring[(i + 1) % 3], at(i), 7_500_000.0) for i in range(3)])
    params = load_params({}, reporting_currency="IDR")
    alerts = detect(engine, params, no_seeds(), ["cycle"]).alerts
    assert "of 7,500,000 IDR came back" in alerts[0].explanation


def test_structuring_says_the_threshold_like_every_other_amount(run_typology) -> None:
    pieces = [
        pay(f"S{i}", None, "SMURF", at(i), 480_000_000 + i, currency="IDR", channel="cash")
        for i in range(4)
    ]
    alerts = run_typology(pieces, "structuring")
    assert "just under the 500,000,000 IDR reporting threshold" in alerts[0].explanation
    assert "together 1,920,000,006 IDR," in alerts[0].explanation
