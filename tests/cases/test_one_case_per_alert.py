"""One case per alert, held by the database, not by a check before the open.

The web UI checked for a case on the alert, then opened one: two analysts (or two clicks)
working the same alert at once both found none and both opened a case, two decisions on one
alert to reconcile. The alert is now claimed for the case's agency in the transaction that
opens the case, under a primary key: the second opener is refused with the case that holds it.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from jalur.cases import AlertWorkedError, Evidence, add_evidence, open_case
from jalur.cases.service import remove_evidence
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import case_alerts, cases
from jalur.users import Marking, User, add_user

PW = "correct horse battery"
ALERT = Evidence("alert", "A-1", {"typology": "drug-to-terror", "score": 0.9})


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    root = add_user(engine, None, "root", "admin", PW)
    return {
        "ana": add_user(engine, root, "ana", "analyst", PW),
        "sam": add_user(engine, root, "sam", "analyst", PW),
        "bob": add_user(engine, root, "bob", "analyst", PW, "BNN"),
    }


def _cases(engine: Engine) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(cases)).scalar_one())


def test_a_second_case_on_a_worked_alert_is_refused_naming_the_first(
    engine: Engine, people: dict[str, User]
) -> None:
    first = open_case(engine, people["ana"], "alert A-1", [ALERT])
    with pytest.raises(AlertWorkedError) as refused:  # sam's page showed the alert unworked
        open_case(engine, people["sam"], "alert A-1", [Evidence("hit", "H-1"), ALERT])
    assert refused.value.case_id == first and refused.value.alert == "A-1"
    assert first in str(refused.value)
    assert _cases(engine) == 1


def test_two_sessions_cannot_both_claim_an_alert_for_one_agency(
    engine: Engine, sql_settings: Settings
) -> None:
    other = open_database(sql_settings)  # a second server's session on the same store
    try:
        with engine.begin() as con:
            con.execute(insert(case_alerts).values(agency="DEFAULT", alert="A-9", case_id="C1"))
        with pytest.raises(IntegrityError), other.begin() as con:
            con.execute(insert(case_alerts).values(agency="DEFAULT", alert="A-9", case_id="C2"))
        with other.begin() as con:  # another agency works its own case on the alert
            con.execute(insert(case_alerts).values(agency="BNN", alert="A-9", case_id="C3"))
    finally:
        other.dispose()


def test_another_agency_opens_its_own_case_on_the_alert(
    engine: Engine, people: dict[str, User]
) -> None:
    open_case(engine, people["ana"], "alert A-1", [ALERT])
    theirs = Marking("BNN", "RESTRICTED", ())
    open_case(engine, people["bob"], "alert A-1", [ALERT], marking=theirs)
    with pytest.raises(AlertWorkedError):
        open_case(engine, people["bob"], "again", [ALERT], marking=theirs)
    assert _cases(engine) == 2


def test_an_alert_taken_out_of_its_case_may_be_worked_in_another(
    engine: Engine, people: dict[str, User]
) -> None:
    first = open_case(engine, people["ana"], "alert A-1", [ALERT, Evidence("hit", "H-1")])
    remove_evidence(engine, people["ana"], first, "alert", "A-1")
    second = open_case(engine, people["sam"], "alert A-1", [ALERT])
    with pytest.raises(AlertWorkedError) as refused:
        open_case(engine, people["ana"], "third", [ALERT])
    assert refused.value.case_id == second


def test_a_second_case_opened_on_purpose_keeps_the_first_its_claim(
    engine: Engine, people: dict[str, User]
) -> None:
    first = open_case(engine, people["ana"], "alert A-1", [ALERT])
    open_case(engine, people["sam"], "another look", [ALERT], one_per_alert=False)
    with pytest.raises(AlertWorkedError) as refused:
        open_case(engine, people["sam"], "third", [ALERT])
    assert refused.value.case_id == first
    assert _cases(engine) == 2


def test_an_alert_worked_in_one_case_is_not_added_to_another(
    engine: Engine, people: dict[str, User]
) -> None:
    first = open_case(engine, people["ana"], "alert A-1", [ALERT])
    other = open_case(engine, people["sam"], "a hit", [Evidence("hit", "H-1")])
    with pytest.raises(AlertWorkedError) as refused:
        add_evidence(engine, people["sam"], other, [ALERT])
    assert refused.value.case_id == first
    assert add_evidence(engine, people["sam"], other, [Evidence("alert", "A-2")]) == ["alert:A-2"]
    with pytest.raises(AlertWorkedError) as taken:  # the case it was added to works it now
        open_case(engine, people["ana"], "alert A-2", [Evidence("alert", "A-2")])
    assert taken.value.case_id == other


def test_two_analysts_opening_at_once_make_one_case(
    engine: Engine, people: dict[str, User]
) -> None:
    barrier = threading.Barrier(2)
    outcomes: dict[str, str | AlertWorkedError] = {}

    def work(name: str) -> None:
        barrier.wait()
        try:
            outcomes[name] = open_case(engine, people[name], name, [ALERT])
        except AlertWorkedError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=work, args=(n,)) for n in ("ana", "sam")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened = [o for o in outcomes.values() if isinstance(o, str)]
    refused = [o for o in outcomes.values() if isinstance(o, AlertWorkedError)]
    assert len(opened) == 1 and len(refused) == 1, outcomes
    assert refused[0].case_id == opened[0]
    assert _cases(engine) == 1
