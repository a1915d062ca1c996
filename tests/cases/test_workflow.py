"""The case state machine, exhaustively: every status × action × role, and the four-eyes rules."""

from __future__ import annotations

import itertools

import pytest

from jalur.cases.workflow import (
    ACTIONS,
    STATUSES,
    CaseState,
    WorkflowError,
    next_status,
)
from jalur.users import ROLES

FP = "f" * 64

#: The expected transitions, written out by hand: (status, action) → status after (as analyst
#: for work actions, as a supervisor other than the proposer for approvals). Absent: refused.
EXPECTED = {
    ("open", "edit"): "investigating",
    ("investigating", "edit"): "investigating",
    ("returned", "edit"): "returned",
    ("proposed", "edit"): "proposed",
    **{(status, "comment"): status for status in STATUSES if status != "open"},
    ("open", "comment"): "investigating",
    ("open", "propose"): "proposed",
    ("investigating", "propose"): "proposed",
    ("returned", "propose"): "proposed",
    ("proposed", "approve"): "approved",
    ("proposed", "return"): "returned",
    ("approved", "return"): "returned",  # a report not yet generated
    ("approved", "close"): "closed",
    ("approved", "mark-reported"): "reported",
    ("proposed", "withdraw"): "investigating",  # by the proposer only
}
WORK = {"edit", "comment", "propose", "mark-reported", "withdraw"}
APPROVAL = {"approve", "return", "close"}
MAY = {
    "analyst": WORK,
    "supervisor": WORK | APPROVAL,
    "admin": set(),
    "auditor": set(),
    "client": set(),  # a machine with an API key: screening only
}


def _state(status: str, action: str) -> CaseState:
    decision = {"close": "close", "mark-reported": "report"}.get(action, "report")
    return CaseState(status, decision=decision, proposed_by="ana", proposed_fingerprint=FP)


@pytest.mark.parametrize(
    ("status", "action", "role"), list(itertools.product(STATUSES, ACTIONS, ROLES))
)
def test_every_status_action_and_role(status: str, action: str, role: str) -> None:
    state = _state(status, action)
    if action == "withdraw":  # the proposer's own action: sam withdraws what sam proposed
        state = CaseState(status, "report", "sam", FP)
    expected = EXPECTED.get((status, action))
    if action not in MAY[role]:
        with pytest.raises(WorkflowError, match=f"the role {role} may not"):
            next_status(state, action, "sam", role, FP, "report")
    elif expected is None:
        with pytest.raises(WorkflowError, match=f"the case is {status}"):
            next_status(state, action, "sam", role, FP, "report")
    else:
        assert next_status(state, action, "sam", role, FP, "report") == expected


@pytest.mark.parametrize("action", ["approve", "return"])
def test_the_proposer_cannot_approve_or_return_their_own(action: str) -> None:
    state = CaseState("proposed", "report", "sam", FP)
    with pytest.raises(WorkflowError, match=r"sam proposed this decision.*four eyes"):
        next_status(state, action, "sam", "supervisor", FP)


def test_approval_of_a_changed_case_is_refused() -> None:
    state = CaseState("proposed", "report", "ana", FP)
    with pytest.raises(WorkflowError, match="changed after the proposal"):
        next_status(state, "approve", "sam", "supervisor", "0" * 64)
    assert next_status(state, "return", "sam", "supervisor", "0" * 64) == "returned"


@pytest.mark.parametrize(("decision", "action"), [("report", "close"), ("close", "mark-reported")])
def test_the_end_must_match_the_approved_decision(decision: str, action: str) -> None:
    state = CaseState("approved", decision, "ana", FP)
    with pytest.raises(WorkflowError, match=f"the approved decision is {decision}"):
        next_status(state, action, "sam", "supervisor")


@pytest.mark.parametrize("decision", [None, "maybe"])
def test_a_proposal_needs_a_decision(decision: str | None) -> None:
    with pytest.raises(WorkflowError, match="decision must be one of"):
        next_status(CaseState("investigating"), "propose", "ana", "analyst", None, decision)


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(WorkflowError, match="unknown case action"):
        next_status(CaseState("open"), "delete", "ana", "admin")


@pytest.mark.parametrize("action", ["propose", "approve", "return"])
def test_an_api_key_takes_no_decision(action: str) -> None:
    """Four eyes are two people: an API key (`key:ID`, a machine an admin may give the
    supervisor role, its secret in some integration's settings) neither proposes nor approves,
    or one analyst holding the key would approve their own proposal under another name."""
    status = "investigating" if action == "propose" else "proposed"
    state = CaseState(status, "report", "ana", FP)
    with pytest.raises(WorkflowError, match=r"key:1a2b is an API key.*signed-in person"):
        next_status(state, action, "key:1a2b", "supervisor", FP, "report")


def test_an_approved_report_that_cannot_be_built_goes_back() -> None:
    """An approved case whose report the FIU's schema refuses (a name longer than goAML holds,
    a payment's bank missing) was stuck: approved, never reportable, never editable. A
    supervisor other than the proposer returns it while no report was generated."""
    state = CaseState("approved", "report", "ana", FP)
    assert next_status(state, "return", "sam", "supervisor") == "returned"
    with pytest.raises(WorkflowError, match="ana proposed this decision"):
        next_status(state, "return", "ana", "supervisor")
    generated = CaseState("approved", "report", "ana", FP, report_generated=True)
    with pytest.raises(WorkflowError, match="its report was generated"):
        next_status(generated, "return", "sam", "supervisor")


def test_only_the_proposer_withdraws_a_proposal() -> None:
    """A proposal found wrong stayed open to approval until a supervisor returned it: its
    proposer could neither take it back nor propose again. Anyone else's word is a return."""
    state = CaseState("proposed", "report", "ana", FP)
    assert next_status(state, "withdraw", "ana", "analyst") == "investigating"
    with pytest.raises(WorkflowError, match="ana proposed this decision; only they withdraw"):
        next_status(state, "withdraw", "sam", "supervisor")
    with pytest.raises(WorkflowError, match="is an API key"):
        next_status(CaseState("proposed", "report", "key:7", FP), "withdraw", "key:7", "analyst")
