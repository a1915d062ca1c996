"""Payments loaded before `tx load` read countries to alpha-2 keep them as they were stored
(`IRAN`, `IRN`, `364`): the corridor compares alpha-2, and those payments never met it. A pass
reads each stored value that is not alpha-2 to its code while it stages the payments (one look
per distinct value), so a workspace need not be loaded again."""

from __future__ import annotations

from monitoring_builders import at, pay


def test_stored_country_spellings_meet_the_corridor(run_typology) -> None:  # type: ignore[no-untyped-def]
    rows = [
        pay("I1", "LOCAL", "TEH", at(0), 6_000.0, orig_country="ID", bene_country="IRAN"),
        pay("I2", "LOCAL", "TEH", at(1), 6_000.0, orig_country="IDN", bene_country="IRN"),
        pay("K1", "NK", "LOCAL2", at(2), 12_000.0, orig_country="408", bene_country="ID"),
        pay("A1", "X", "Y", at(3), 50_000.0, orig_country="Atlantis", bene_country="ID"),
        pay("D1", "Y", "Z", at(4), 50_000.0, orig_country="ID", bene_country="Indonesia"),
    ]
    alerts = run_typology(rows, "corridor")
    assert sorted((a.account, a.facts["country"], a.facts["transactions"]) for a in alerts) == [
        ("LOCAL", "IR", 2),
        ("LOCAL2", "KP", 1),
    ]
