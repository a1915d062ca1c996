"""`cases_citing`: the cases that hold given evidence, scoped to who asks, a page at a time.

The service and the web UI read the evidence table themselves to find an alert's case or the
cases on a load's payments, each scoping it its own way; `cases` had no call for it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from jalur.cases import Evidence, agency_cases_citing, cases_citing, open_case
from jalur.cases.service import remove_evidence
from jalur.users import Marking, User, add_user, share

PW = "correct horse battery"


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    root = add_user(engine, None, "root", "admin", PW)
    return {
        "root": root,
        "ana": add_user(engine, root, "ana", "analyst", PW),
        "bob": add_user(engine, root, "bob", "analyst", PW, "BNN"),
        "low": add_user(engine, root, "low", "analyst", PW, "BNN", "UNCLASSIFIED"),
    }


def _ids(found: list[object]) -> list[tuple[str, str, str]]:
    return [(c.case_id, c.kind, c.ref) for c in found]  # type: ignore[attr-defined]


def test_each_reader_gets_the_cases_they_see(engine: Engine, people: dict[str, User]) -> None:
    ours = open_case(
        engine,
        people["ana"],
        "ours",
        [Evidence("alert", "A-1"), Evidence("payment", "TX-1", {"amount": 5})],
    )
    bnn = Marking("BNN", "RESTRICTED", ())
    theirs = open_case(engine, people["bob"], "theirs", [Evidence("payment", "TX-1")], marking=bnn)
    asked = ("payment", "alert")
    assert _ids(cases_citing(engine, people["ana"], asked, ["TX-1", "A-1"])) == [
        (ours, "alert", "A-1"), (ours, "payment", "TX-1")]  # fmt: skip
    assert _ids(cases_citing(engine, people["bob"], asked, ["TX-1", "A-1"])) == [
        (theirs, "payment", "TX-1")]  # fmt: skip
    assert cases_citing(engine, people["ana"], ["payment"], ["TX-1"])[0].snapshot == {"amount": 5}
    assert cases_citing(engine, people["low"], asked, ["TX-1"]) == []  # below the marking
    share(engine, "case", ours, "BNN", "root", None)
    assert {c.case_id for c in cases_citing(engine, people["bob"], asked, ["TX-1"])} == {
        ours, theirs}  # fmt: skip
    owned = agency_cases_citing(engine, "BNN", ["payment"], None)
    assert _ids(owned) == [(theirs, "payment", "TX-1")]


def test_citations_come_a_page_at_a_time_and_not_once_removed(
    engine: Engine, people: dict[str, User]
) -> None:
    opened = [open_case(engine, people["ana"], f"c{i}", [Evidence("hit", "P/E")])
              for i in range(5)]  # fmt: skip
    remove_evidence(engine, people["ana"], opened[0], "hit", "P/E")
    pages = [cases_citing(engine, people["ana"], ["hit"], ["P/E"], offset=o, limit=2)
             for o in (0, 2, 4)]  # fmt: skip
    assert [[c.case_id for c in page] for page in pages] == [opened[1:3], opened[3:5], []]
    assert cases_citing(engine, people["ana"], (), []) == []
    with pytest.raises(ValueError, match="offset"):
        cases_citing(engine, people["ana"], offset=-1)
