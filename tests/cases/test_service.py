"""Case actions on the SQL store (SQLite and PostgreSQL): four eyes, refusals, dispositions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from jalur.audit import check_trail, entries
from jalur.cases.queries import case_details, list_cases
from jalur.cases.report import record_report, report_codes
from jalur.cases.service import (
    CaseError,
    Evidence,
    add_evidence,
    approve,
    assign,
    comment,
    mark_reported,
    open_case,
    propose,
    remove_evidence,
    return_case,
)
from jalur.cases.workflow import WorkflowError
from jalur.sqlstore.schema import case_evidence
from jalur.users import AccessError, User, add_user

PW = "correct horse battery"
ALERT = Evidence("alert", "A-1", {"typology": "drug-to-terror", "score": 0.9})


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    admin = add_user(engine, None, "root", "admin", PW)
    found = {"root": admin}
    for name, role in (("ana", "analyst"), ("sam", "supervisor"), ("sue", "supervisor")):
        found[name] = add_user(engine, admin, name, role, PW)
    found["aud"] = add_user(engine, admin, "aud", "auditor", PW)
    return found


def _actions(engine: Engine, case_id: str) -> list[str]:
    with engine.connect() as con:
        return [e.action for e in entries(con, case_id)]


def test_report_path_with_four_eyes(engine: Engine, people: dict[str, User]) -> None:
    ana, sam, sue = people["ana"], people["sam"], people["sue"]
    case_id = open_case(engine, ana, "channel", [ALERT], typology="drug-to-terror")
    assign(engine, ana, case_id, "ana")
    comment(engine, ana, case_id, "payments look structured")
    propose(engine, sam, case_id, "report", "structured deposits to a listed person", "LTKMT")
    with pytest.raises(WorkflowError, match="sam proposed this decision"):
        approve(engine, sam, case_id)
    with pytest.raises(WorkflowError, match="role analyst may not approve"):
        approve(engine, ana, case_id)
    assert approve(engine, sue, case_id) == "approved"
    with pytest.raises(WorkflowError, match="no report was generated"):
        mark_reported(engine, ana, case_id, "PPATK-2025-0001")
    record_report(engine, ana, case_id, "ab" * 32, "report.xml", "ppatk-4.0.2")
    mark_reported(engine, ana, case_id, "PPATK-2025-0001")
    details = case_details(engine, case_id)
    assert details is not None
    assert details["status"] == "reported"
    assert details["decision"]["report_reference"] == "PPATK-2025-0001"
    assert details["dispositions"][0]["label"] == "true-positive"
    assert details["dispositions"][0]["alert_id"] == "A-1"
    assert _actions(engine, case_id) == [
        "case.open", "case.edit", "case.comment", "case.propose", "case.refused",
        "case.refused", "case.approve", "case.refused", "report-generated",
        "case.mark-reported",
    ]  # fmt: skip
    assert check_trail(engine, [], Path("/nonexistent")).intact


def test_approval_after_a_change_is_refused(engine: Engine, people: dict[str, User]) -> None:
    ana, sam = people["ana"], people["sam"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "why", "LTKM")
    add_evidence(engine, ana, case_id, [Evidence("payment", "tx-9", {"amount": 5})])
    with pytest.raises(WorkflowError, match="changed after the proposal"):
        approve(engine, sam, case_id)
    return_case(engine, sam, case_id, "look again")
    remove_evidence(engine, ana, case_id, "payment", "tx-9")
    propose(engine, ana, case_id, "close", "not terrorist financing")
    assert approve(engine, sam, case_id) == "closed"
    details = case_details(engine, case_id)
    assert details is not None
    assert [d["label"] for d in details["dispositions"]] == ["false-positive"]


def test_refusals_change_nothing(engine: Engine, people: dict[str, User]) -> None:
    ana, aud = people["ana"], people["aud"]
    with pytest.raises(AccessError, match="auditor may not work cases"):
        open_case(engine, aud, "t", [ALERT])
    case_id = open_case(engine, ana, "t", [ALERT])
    before = case_details(engine, case_id)
    with pytest.raises(WorkflowError, match="auditor may not work cases"):
        comment(engine, aud, case_id, "x")
    with pytest.raises(CaseError, match="no case CASE-NOPE"):
        comment(engine, ana, "CASE-NOPE", "x")
    with pytest.raises(CaseError, match="kind must be one of"):
        open_case(engine, ana, "t", [Evidence("rumour", "r")])
    after = case_details(engine, case_id)
    assert before == after


def test_list_filters(engine: Engine, people: dict[str, User]) -> None:
    ana = people["ana"]
    one = open_case(engine, ana, "a", [ALERT], typology="structuring")
    two = open_case(engine, ana, "b", [Evidence("alert", "A-2")], typology="drug-to-terror")
    assign(engine, ana, two, "ana")
    assert [c["case_id"] for c in list_cases(engine, typology="structuring")] == [one]
    assert [c["case_id"] for c in list_cases(engine, assignee="ana")] == [two]
    assert [c["case_id"] for c in list_cases(engine, status="open")] == [one]
    assert list_cases(engine, older_than_days=1) == []


@pytest.mark.parametrize(
    ("reason", "told"),
    [
        ("x" * 4001, "4001 characters; goAML's reason holds at most 4000"),
        ("wired to \x01 the cell", "U+0001, which XML cannot carry"),
    ],
)
def test_a_report_proposal_with_a_reason_goaml_cannot_hold_is_refused(
    engine: Engine, people: dict[str, User], reason: str, told: str
) -> None:
    """The proposal's reason becomes the report's: one goAML cannot hold would be approved and
    then never reported (an approved case's reason cannot change), so it is refused up front."""
    ana = people["ana"]
    case_id = open_case(engine, ana, "t", [ALERT])
    before = case_details(engine, case_id)
    with pytest.raises(CaseError, match=re.escape(told)):
        propose(engine, ana, case_id, "report", reason, "LTKMT")
    assert case_details(engine, case_id) == before
    propose(engine, ana, case_id, "close", reason)  # a closure's reason stays in the case
    assert approve(engine, people["sam"], case_id) == "closed"


def test_mark_reported_needs_the_fiu_reference(engine: Engine, people: dict[str, User]) -> None:
    ana, sam = people["ana"], people["sam"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "why", "LTKMT")
    approve(engine, sam, case_id)
    record_report(engine, ana, case_id, "ab" * 32, "report.xml", "ppatk-4.0.2")
    with pytest.raises(CaseError, match="needs the FIU's --reference"):
        mark_reported(engine, ana, case_id, "  ")
    assert case_details(engine, case_id)["status"] == "approved"  # type: ignore[index]


def test_an_approved_case_without_a_report_goes_back_to_the_analyst(
    engine: Engine, people: dict[str, User]
) -> None:
    """The report of an approved case was refused (the FIU's schema or a missing bank): a
    supervisor returns it, the analyst mends the evidence and proposes again, four eyes again."""
    ana, sam, sue = people["ana"], people["sam"], people["sue"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "why", "LTKMT")
    approve(engine, sam, case_id)
    return_case(engine, sue, case_id, "the beneficiary's name is longer than goAML holds")
    details = case_details(engine, case_id)
    assert details is not None
    assert (details["status"], details["decision"]["approved_by"]) == ("returned", None)
    remove_evidence(engine, ana, case_id, "alert", "A-1")
    add_evidence(engine, ana, case_id, [Evidence("alert", "A-2", {"typology": "t"})])
    propose(engine, ana, case_id, "report", "why, mended", "LTKMT")
    assert approve(engine, sue, case_id) == "approved"
    record_report(engine, ana, case_id, "ab" * 32, "report.xml", "ppatk-4.0.2")
    with pytest.raises(WorkflowError, match="its report was generated"):
        return_case(engine, sam, case_id, "too late")


def test_a_report_of_evidence_changed_in_the_store_after_approval_is_refused(
    engine: Engine, people: dict[str, User]
) -> None:
    """No action changes an approved case's evidence, but a row edited in the database did
    reach the report: the approval vouched for other evidence. The proposal's fingerprint is
    checked again when the report is recorded."""
    ana, sam = people["ana"], people["sam"]
    case_id = open_case(engine, ana, "t", [ALERT])
    propose(engine, ana, case_id, "report", "why", "LTKMT")
    approve(engine, sam, case_id)
    with engine.begin() as con:
        con.execute(
            update(case_evidence)
            .where(case_evidence.c.case_id == case_id)
            .values(snapshot='{"typology": "nothing to see"}')
        )
    with pytest.raises(CaseError, match="differs from what was approved"):
        record_report(engine, ana, case_id, "ab" * 32, "report.xml", "ppatk-4.0.2")
    assert case_details(engine, case_id)["decision"]["report_sha256"] is None  # type: ignore[index]


def test_a_report_type_the_fius_profile_lacks_is_refused_when_proposed(
    engine: Engine, people: dict[str, User]
) -> None:
    """`--report-type FOO` was proposed and approved, and only the report said PPATK has no
    such code: the type is checked against the workspace's profile when proposed."""
    ana = people["ana"]
    case_id = open_case(engine, ana, "t", [ALERT])
    codes = report_codes({"profile": "ppatk-4.0.2"})
    assert codes == {"LTKM": "transactions", "LTKMT": "transactions", "LAPT": "activity"}
    with pytest.raises(CaseError, match="report type 'STR' is not one of LTKM, LTKMT, LAPT"):
        propose(engine, ana, case_id, "report", "why", "STR", report_codes=codes)
    assert case_details(engine, case_id)["status"] == "open"  # type: ignore[index]
    propose(engine, ana, case_id, "report", "why", "LAPT", report_codes=codes)


PAYMENT = Evidence("payment", "tx-1", {"tx_id": "tx-1", "amount": 5.0, "currency": "IDR"})


def test_a_transaction_report_on_a_case_without_payments_is_refused_when_proposed(
    engine: Engine, people: dict[str, User]
) -> None:
    """A case opened on an account alone (`cases open --account`) was proposed and approved as
    an LTKMT, a report of transactions, holding none: only the report then said so, and an
    approved case cannot be edited. The proposal is refused, naming the case and the way out."""
    ana = people["ana"]
    codes = report_codes({"profile": "ppatk-4.0.2"})
    account = Evidence("account", "0812345678", {"name": "Budi Santoso", "account": "0812345678"})
    case_id = open_case(engine, ana, "account only", [account])
    for code in ("LTKMT", "LTKM"):
        says = rf"{case_id}: a {code} report carries the case's payments, and the case holds none"
        with pytest.raises(CaseError, match=says + r".*activity report \(LAPT\)"):
            propose(engine, ana, case_id, "report", "why", code, report_codes=codes)
    assert case_details(engine, case_id)["status"] == "open"  # type: ignore[index]
    with engine.connect() as con:
        refused = [e for e in entries(con, case_id) if e.action == "case.refused"]
    assert len(refused) == 2 and "holds none" in refused[0].details["reason"]
    propose(engine, ana, case_id, "report", "why", "LAPT", report_codes=codes)  # activity: fine
    other = open_case(engine, ana, "with a payment", [account, PAYMENT])
    propose(engine, ana, other, "report", "why", "LTKMT", report_codes=codes)


def test_a_transaction_report_with_a_payment_the_case_has_no_details_of_is_refused(
    engine: Engine, people: dict[str, User]
) -> None:
    """An alert's payment the workspace no longer held is in the case by id only: approved as
    an LTKMT, the report was refused for good ("amount None is not a number"). The proposal is
    refused, naming the payment and how to remove it."""
    ana = people["ana"]
    codes = report_codes({"profile": "ppatk-4.0.2"})
    gone = Evidence("payment", "tx-9", {"missing": True})  # as `payment_evidence` keeps it
    case_id = open_case(engine, ana, "one payment gone", [ALERT, PAYMENT, gone])
    with pytest.raises(CaseError, match=rf"details of payment\(s\) tx-9 .*cases remove {case_id}"):
        propose(engine, ana, case_id, "report", "why", "LTKMT", report_codes=codes)
    remove_evidence(engine, ana, case_id, "payment", "tx-9")
    propose(engine, ana, case_id, "report", "why", "LTKMT", report_codes=codes)


def test_a_refused_assignment_or_evidence_is_on_the_trail(
    engine: Engine, people: dict[str, User]
) -> None:
    """Only the workflow's refusals were audited (`case.refused`); an assignee who does not
    exist or evidence that is not on the case was refused without a trace, though docs/cases.md
    says every case action and refusal is recorded."""
    ana = people["ana"]
    case_id = open_case(engine, ana, "t", [ALERT])
    with pytest.raises(CaseError):
        assign(engine, ana, case_id, "nobody")
    with pytest.raises(CaseError):
        remove_evidence(engine, ana, case_id, "alert", "A-404")
    with engine.connect() as con:
        refused = [e for e in entries(con, case_id) if e.action == "case.refused"]
    assert [r.details["action"] for r in refused] == ["edit", "edit"], refused
    assert "nobody" in refused[0].details["reason"] and "A-404" in refused[1].details["reason"]
    assert all(r.user == "ana" for r in refused)


def test_a_proposal_to_close_with_a_report_type_is_refused(
    engine: Engine, people: dict[str, User]
) -> None:
    """`propose --decision close --report-type LTKMT` was stored and shown to the approver as
    "close (LTKMT)": a supervisor could not tell whether the analyst meant to report."""
    ana = people["ana"]
    case_id = open_case(engine, ana, "t", [ALERT])
    says = r"a proposal to close takes no report type \('LTKMT' given"
    with pytest.raises(CaseError, match=says):
        propose(engine, ana, case_id, "close", "a shop's takings", "LTKMT")
    assert case_details(engine, case_id)["decision"]["report_type"] is None  # type: ignore[index]
    propose(engine, ana, case_id, "close", "a shop's takings")


def test_a_report_on_a_subject_the_case_has_no_details_of_is_refused_when_proposed(
    engine: Engine, people: dict[str, User]
) -> None:
    """A listed subject whose entry left the lists after the hit is in the case by id only
    (`entity: null`): the report was approved and then refused for good, naming it."""
    ana = people["ana"]
    gone = {"source": "screening", "entity": None, "caption": "Abu Rusdan"}
    delisted = Evidence("subject", "un-404", gone)
    entity = {"id": "un-1", "schema": "Person", "properties": {"name": ["Abu Rusdan"]}}
    listed = Evidence("subject", "un-1", {"entity": entity})
    case_id = open_case(engine, ana, "t", [ALERT, listed, delisted])
    with pytest.raises(CaseError, match=rf"no details of subject\(s\) un-404 .*remove {case_id}"):
        propose(engine, ana, case_id, "report", "why", "LAPT")
    remove_evidence(engine, ana, case_id, "subject", "un-404")
    propose(engine, ana, case_id, "report", "why", "LAPT")
