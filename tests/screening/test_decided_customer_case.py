"""A cleared customer whose name comes back in other letter case is the same customer.

Core-banking systems change how they export names (`Umar Patek` one month, `UMAR PATEK` the
next, when a report is switched to upper case): matching reads both alike, but the customer's
fingerprint held the name as written, so every cleared pair came back `previously_cleared`
("changed since: customer") for a change nobody made. Decisions recorded before keep being
compared the old way: none of them comes back once for the new fingerprint.
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)

from jalur.config import Settings
from jalur.screening import Query
from jalur.screening.decisions import customer_fingerprint, customer_fingerprint_v1
from jalur.store import Store


def test_letter_case_is_no_change_of_the_customer() -> None:
    assert customer_fingerprint(Query("Umar Patek", "1966")) == customer_fingerprint(
        Query("UMAR  PATEK", "1966")
    )
    assert customer_fingerprint(Query("Umar Patek")) != customer_fingerprint(Query("Omar Patek"))


def test_a_cleared_pair_stays_cleared_when_the_export_turns_upper_case(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\n")
    cli(workspace, "clear", "--customer", "c1", "--entity", "u1", "--reason", "shopkeeper, 1980")
    report, hits = batch(workspace, "c1,UMAR PATEK,\n")
    assert (report["suppressed"], report["previously_cleared"], hits) == (1, 0, [])
    report, hits = batch(workspace, "c1,Omar Patek,\n")  # another name: shown again
    assert report["previously_cleared"] == 1


def test_a_decision_recorded_before_is_compared_as_it_was_made(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\n")
    cli(workspace, "clear", "--customer", "c1", "--entity", "u1", "--reason", "shopkeeper, 1980")
    old = customer_fingerprint_v1(Query("Umar Patek"))
    with Store.open(Settings.resolve(workspace)) as store:
        store.execute("UPDATE screening_decisions SET customer_fingerprint = ?", [old])
    assert batch(workspace, "c1,Umar Patek,\n")[0]["suppressed"] == 1  # not back once
    assert batch(workspace, "c1,UMAR PATEK,\n")[0]["previously_cleared"] == 1  # as it was
