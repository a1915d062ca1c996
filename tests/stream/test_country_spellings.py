"""The stream reads a payment's country as `tx load` does: `IRN`, `Iran` or `Иран` is `IR`,
which the corridor typology compares (it was upper-cased as written, `IRAN`, and no corridor
alert ever named it). A value that names no country is kept as written and is a warning
naming the payment: the payment is still decided."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_lists import payment, small_decider

from jalur.stream import payment_from_row


def test_a_corridor_is_met_however_the_country_is_spelt(tmp_path: Path) -> None:
    spellings = ["IRN", "Iran", "Iran, Islamic Republic of", "Иран"]
    rows = [
        payment(f"C{i}", bene_country=country, amount=6_000.0,
                timestamp=f"2026-03-0{i + 2}T10:00:00Z")
        for i, country in enumerate(spellings)
    ]  # fmt: skip
    decider = small_decider(tmp_path / "c.sqlite")
    outcomes = decider.decide_many([payment_from_row(r) for r in rows])
    decider.close()
    details = [
        str(reason["detail"])
        for outcome in outcomes
        for reason in outcome.decision["reasons"]
        if reason["code"] == "corridor"
    ]
    assert any("4 payments (24,000 USD) with IR" in d for d in details), details


def test_an_unreadable_country_is_kept_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    read = payment_from_row(payment("X1", orig_country="Atlantis", bene_country="\x1b[2J"))
    assert (read.orig_country, read.bene_country) == ("ATLANTIS", "\x1b[2J")
    assert "X1: orig_country 'Atlantis' names no country" in caplog.text
    assert "\x1b" not in caplog.text
