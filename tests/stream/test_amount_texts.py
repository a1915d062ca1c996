"""The stream's decision and alert texts write an amount as the batch's explanations do: with
its currency, through `jalur.monitoring.money` ("10,000 USD", "12,000 USD").

The stream wrote `(12,000)` with no currency (corridor, cash funnel), `the USD 10,000
threshold` (structuring) and `amount -5000 is negative`, where the batch alert for the same
finding says `12,000 USD`; an analyst reading both could not tell the stream's amounts were
in the reporting currency."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from small_lists import payment, small_decider

from jalur.monitoring import money
from jalur.stream import payment_from_row


def _details(rows: list[dict[str, Any]], state: Path) -> dict[str, list[str]]:
    decider = small_decider(state)
    outcomes = decider.decide_many([payment_from_row(r) for r in rows])
    decider.close()
    found: dict[str, list[str]] = {}
    for outcome in outcomes:
        for reason in outcome.decision["reasons"]:
            found.setdefault(str(reason["code"]), []).append(str(reason["detail"]))
        for alert in outcome.decision.get("alerts", []):
            found.setdefault(f"alert:{alert['typology']}", []).append(alert["explanation"])
    return found


def test_money_is_the_monitoring_packages_formatter() -> None:
    assert (money(10.14, "USD"), money(5_872_968.2, "USD")) == ("10.14 USD", "5,872,968 USD")


def test_structuring_names_the_threshold_with_its_currency(tmp_path: Path) -> None:
    rows = [
        payment(f"S{i}", channel="cash", amount=9_500.0, timestamp=f"2026-03-0{i + 2}T10:00:00Z")
        for i in range(3)
    ]
    details = _details(rows, tmp_path / "s.sqlite")
    assert details["structuring"]
    assert all("just under the 10,000 USD threshold" in d for d in details["structuring"])


def test_a_corridor_total_names_the_reporting_currency(tmp_path: Path) -> None:
    rows = [
        payment(f"C{i}", bene_country="IR", amount=6_000.0, timestamp=f"2026-03-0{i + 2}T10:00:00Z")
        for i in range(2)
    ]
    (detail,) = _details(rows, tmp_path / "c.sqlite")["corridor"]
    assert "2 payments (12,000 USD) with IR" in detail


def test_a_negative_amount_is_shown_with_its_currency(tmp_path: Path) -> None:
    (detail,) = _details([payment("N", amount=-5000, currency="EUR")], tmp_path / "n.sqlite")[
        "amount:negative"
    ]
    assert detail.startswith("amount -5,000 EUR is negative")


def test_a_cash_funnel_names_the_reporting_currency(tmp_path: Path) -> None:
    deposits = [
        payment(
            f"D{i}",
            channel="cash",
            orig_account=None,
            orig_name=None,
            orig_country=None,
            bene_account="POOL",
            amount=900.0,
            timestamp=f"2026-03-{i + 2:02d}T10:00:00Z",
        )
        for i in range(10)
    ]
    out = payment("W", orig_account="POOL", amount=8_000.0, timestamp="2026-03-13T10:00:00Z")
    details = _details([*deposits, out], tmp_path / "f.sqlite")["cash_funnel"]
    assert details
    assert all("10 cash deposits (9,000 USD)" in d for d in details), details
