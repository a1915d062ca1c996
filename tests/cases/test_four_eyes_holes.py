"""Four eyes end to end: holes found by walking propose, approve, return, propose again.

A report is built from the case as it was approved, and building takes seconds (minutes for
thousands of payments). Meanwhile a supervisor could return the approval, the analyst mend the
case and propose again (another reason, another report type), another supervisor approve: the
hash of the report built from the withdrawn approval was then recorded as the new approval's
report. The approval the report was built from is now checked when its hash is recorded.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from jalur.cases.queries import case_details
from jalur.cases.replay import check_cases
from jalur.cases.report import record_report
from jalur.cases.service import (
    CaseError,
    Evidence,
    add_evidence,
    approve,
    open_case,
    propose,
    return_case,
    withdraw,
)
from jalur.cases.workflow import WorkflowError
from jalur.users import User, add_user

PW = "correct horse battery"
ALERT = Evidence("alert", "A-1", {"typology": "drug-to-terror", "score": 0.9})


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    admin = add_user(engine, None, "root", "admin", PW)
    found = {"root": admin}
    for name, role in (("ana", "analyst"), ("sam", "supervisor"), ("sue", "supervisor")):
        found[name] = add_user(engine, admin, name, role, PW)
    return found


def test_a_report_built_from_a_withdrawn_approval_is_not_recorded(
    engine: Engine, people: dict[str, User]
) -> None:
    ana, sam, sue = people["ana"], people["sam"], people["sue"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "first reading", "LTKMT")
    approve(engine, sam, case_id)
    building = case_details(engine, case_id)  # the report is built from this
    assert building is not None
    return_case(engine, sue, case_id, "the reason is wrong")
    propose(engine, ana, case_id, "report", "second reading: an activity report", "LAPT")
    approve(engine, sue, case_id)
    with pytest.raises(CaseError, match="proposed or approved again"):
        record_report(engine, ana, case_id, "ab" * 32, "r.xml", "ppatk-4.0.2",
                      building)  # fmt: skip
    after = case_details(engine, case_id)
    assert after is not None and after["decision"]["report_sha256"] is None
    record_report(engine, ana, case_id, "cd" * 32, "r.xml", "ppatk-4.0.2", after)
    recorded = case_details(engine, case_id)
    assert recorded is not None and recorded["decision"]["report_sha256"] == "cd" * 32


def test_a_report_built_before_the_evidence_was_mended_is_not_recorded(
    engine: Engine, people: dict[str, User]
) -> None:
    """The same reason, proposer and approver, in the same second: only the evidence differs."""
    ana, sam, sue = people["ana"], people["sam"], people["sue"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "why", "LTKMT")
    approve(engine, sam, case_id)
    building = case_details(engine, case_id)
    assert building is not None
    return_case(engine, sue, case_id, "a payment is missing")
    add_evidence(engine, ana, case_id, [Evidence("payment", "tx-9", {"amount": 5})])
    propose(engine, ana, case_id, "report", "why", "LTKMT")
    approve(engine, sam, case_id)
    with pytest.raises(CaseError, match="proposed or approved again"):
        record_report(engine, ana, case_id, "ab" * 32, "r.xml", "ppatk-4.0.2", building)


def test_the_proposer_withdraws_and_proposes_again(engine: Engine, people: dict[str, User]) -> None:
    """A proposal its analyst found wrong could not be taken back: it stayed open to approval
    until a supervisor returned it. Withdrawn, it cannot be approved; proposed again, four
    eyes apply to the new proposal."""
    ana, sam = people["ana"], people["sam"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "close", "nothing there")
    with pytest.raises(WorkflowError, match="only they withdraw"):
        withdraw(engine, sam, case_id, "not yours to take back")
    with pytest.raises(CaseError, match="needs --reason"):
        withdraw(engine, ana, case_id, " ")
    withdraw(engine, ana, case_id, "a second payment came in")
    with pytest.raises(WorkflowError, match="the case is investigating"):
        approve(engine, sam, case_id)
    add_evidence(engine, ana, case_id, [Evidence("payment", "tx-9", {"amount": 5})])
    propose(engine, ana, case_id, "report", "structured donations", "LTKMT")
    assert approve(engine, sam, case_id) == "approved"
    details = case_details(engine, case_id)
    assert details is not None
    actions = [t["action"] for t in details["timeline"]]
    assert actions == ["open", "propose", "withdraw", "edit", "propose", "approve"]
    assert check_cases(engine) == []  # the audited actions replay to the case as stored


def test_an_approval_of_a_proposal_replaced_since_it_was_read_is_refused(
    engine: Engine, people: dict[str, User]
) -> None:
    """Sue read "report (LTKMT)"; meanwhile Sam returned it and Ana proposed to close on the
    same evidence (the fingerprint is the same). Sue's approval closed the case. Given the
    proposal she read, it is refused, naming the one pending now."""
    ana, sam, sue = people["ana"], people["sam"], people["sue"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "donations to a listed man", "LTKMT")
    read = case_details(engine, case_id)
    assert read is not None
    return_case(engine, sam, case_id, "not enough")
    propose(engine, ana, case_id, "close", "on reflection, nothing")
    with pytest.raises(WorkflowError, match=r"no longer the one pending; ana proposed to close"):
        approve(engine, sue, case_id, read["decision"])
    now = case_details(engine, case_id)
    assert now is not None and now["status"] == "proposed"
    assert approve(engine, sue, case_id, now["decision"]) == "closed"
