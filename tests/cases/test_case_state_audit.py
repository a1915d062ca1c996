"""A case changed in the database, not through jalur, is caught by `jalur audit verify`.

Before, the hash chain guarded the audit trail only: an `UPDATE cases SET status = …` (or of
the assignee, the decision, a disposition label, a comment) left `audit verify` intact though
the case no longer said what its audited actions did. Now each case is replayed from its
entries and compared with its row, evidence, files, dispositions and timeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, Engine, delete, insert, update

from case_story import run
from jalur.cases import check_cases
from jalur.cases.service import (
    Evidence,
    add_evidence,
    approve,
    assign,
    comment,
    open_case,
    propose,
    remove_evidence,
)
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import case_dispositions, case_events, case_evidence, cases
from jalur.users import User, add_user

PW = "correct horse battery"


def _closed_case(engine: Engine) -> tuple[str, str]:
    """A case worked through to closing with four eyes; (its id, one still being worked)."""
    root = add_user(engine, None, "root", "admin", PW)
    ana: User = add_user(engine, root, "ana", "analyst", PW)
    sam = add_user(engine, root, "sam", "supervisor", PW)
    case_id = open_case(engine, ana, "channel", [Evidence("alert", "A-1")], typology="t1")
    assign(engine, ana, case_id, "ana")
    add_evidence(engine, ana, case_id, [Evidence("alert", "A-2"), Evidence("account", "X-9")])
    remove_evidence(engine, ana, case_id, "account", "X-9")
    comment(engine, ana, case_id, "two alerts, one mule\nno listed party")
    propose(engine, ana, case_id, "close", "a payroll, not a channel")
    assert approve(engine, sam, case_id) == "closed"
    other = open_case(engine, ana, "another", [Evidence("alert", "A-3")])
    assign(engine, ana, other, "sam")
    return case_id, other


Tamper = Callable[[Connection, str], object]
TAMPERED: list[tuple[str, Tamper, str]] = [
    ("status", lambda con, c: con.execute(update(cases).where(cases.c.id == c).values(
        status="open")), "status is 'open' in the database, but 'closed' by the audit trail"),
    ("assignee", lambda con, c: con.execute(update(cases).where(cases.c.id == c).values(
        assignee="sam")), "assignee is 'sam' in the database, but 'ana'"),
    ("decision", lambda con, c: con.execute(update(cases).where(cases.c.id == c).values(
        decision="report")), "decision is 'report' in the database, but 'close'"),
    ("approver", lambda con, c: con.execute(update(cases).where(cases.c.id == c).values(
        approved_by="ana")), "approved_by is 'ana' in the database, but 'sam'"),
    ("label", lambda con, c: con.execute(update(case_dispositions).where(
        case_dispositions.c.case_id == c, case_dispositions.c.alert_id == "A-2").values(
        label="true-positive")), "alert A-2 is decided 'true-positive' in the database, but "
        "'false-positive'"),
    ("evidence", lambda con, c: con.execute(delete(case_evidence).where(
        case_evidence.c.case_id == c, case_evidence.c.ref == "A-2")), "its evidence is"),
    ("comment", lambda con, c: con.execute(update(case_events).where(
        case_events.c.case_id == c, case_events.c.kind == "comment").values(
        details=json.dumps({"from": "investigating", "to": "investigating", "text": "ok"}))),
        "its timeline differs from the audit trail (8 events stored, 8 audited)"),
    ("planted", lambda con, c: con.execute(insert(cases).values(
        id="CASE-PLANTED", title="t", status="closed", opened_by="ana", opened_at="x",
        updated_at="x", version=1)), "case CASE-PLANTED: in the database with no audited opening"),
]  # fmt: skip


def test_every_audited_case_verifies(engine: Engine) -> None:
    _closed_case(engine)
    assert check_cases(engine) == []


@pytest.mark.parametrize(("what", "tamper", "told"), TAMPERED, ids=[t[0] for t in TAMPERED])
def test_a_case_edited_in_the_database_is_named(
    engine: Engine, what: str, tamper: Tamper, told: str
) -> None:
    case_id, other = _closed_case(engine)
    with engine.begin() as con:
        tamper(con, case_id)
    problems = check_cases(engine)
    assert len(problems) == 1, problems
    assert told in str(problems[0])
    assert problems[0].case_id != other


def test_audit_verify_fails_on_a_case_changed_outside_jalur(sql_settings: Settings) -> None:
    engine = open_database(sql_settings)
    try:
        case_id, _ = _closed_case(engine)
        assert run(sql_settings, "audit", "verify")[0] == 0
        with engine.begin() as con:
            con.execute(update(cases).where(cases.c.id == case_id).values(assignee="sam"))
    finally:
        engine.dispose()
    code, out = run(sql_settings, "audit", "verify", "--json")
    assert code == 1, out
    assert f"case {case_id}: assignee is 'sam' in the database, but 'ana'" in out
