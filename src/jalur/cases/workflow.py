"""The case workflow as a pure state machine: statuses, actions, who may do what, four eyes.

    open → investigating → proposed (report | close) → approved → reported | closed
              ↑ withdraw ─────┤ ↓ return        ↑ propose again     ↓ return (no report yet)
                           returned ────────────┘ ◀─────────────────┘

No database and no clock: the service asks `next_status` before it writes anything, so every
rule (and every refusal) is tested here exhaustively.
"""

from __future__ import annotations

from dataclasses import dataclass

from jalur.users import APPROVE_CASES, WORK_CASES, may

OPEN, INVESTIGATING, PROPOSED, APPROVED = "open", "investigating", "proposed", "approved"
RETURNED, REPORTED, CLOSED = "returned", "reported", "closed"
STATUSES = (OPEN, INVESTIGATING, PROPOSED, APPROVED, RETURNED, REPORTED, CLOSED)
FINAL = frozenset({REPORTED, CLOSED})
REPORT, CLOSE = "report", "close"
DECISIONS = (REPORT, CLOSE)

EDIT, PROPOSE, APPROVE, RETURN = "edit", "propose", "approve", "return"
WITHDRAW = "withdraw"
CLOSE_CASE, MARK_REPORTED, COMMENT = "close", "mark-reported", "comment"

#: action → (statuses it may start from, the right it needs)
RULES: dict[str, tuple[frozenset[str], str]] = {
    EDIT: (frozenset({OPEN, INVESTIGATING, RETURNED, PROPOSED}), WORK_CASES),
    COMMENT: (frozenset(STATUSES), WORK_CASES),
    PROPOSE: (frozenset({OPEN, INVESTIGATING, RETURNED}), WORK_CASES),
    APPROVE: (frozenset({PROPOSED}), APPROVE_CASES),
    RETURN: (frozenset({PROPOSED, APPROVED}), APPROVE_CASES),
    WITHDRAW: (frozenset({PROPOSED}), WORK_CASES),
    CLOSE_CASE: (frozenset({APPROVED}), APPROVE_CASES),
    MARK_REPORTED: (frozenset({APPROVED}), WORK_CASES),
}
ACTIONS = tuple(RULES)
#: The decisions of four eyes: each is a person's (an API key's user is named `key:ID`).
DECISION_ACTIONS = frozenset({PROPOSE, APPROVE, RETURN, WITHDRAW})
_MACHINE = "key:"


class WorkflowError(Exception):
    """The action is not allowed now, or not to this user: nothing was changed."""


@dataclass(frozen=True)
class CaseState:
    """What the rules look at: the status and the pending proposal, if any."""

    status: str
    decision: str | None = None
    proposed_by: str | None = None
    proposed_fingerprint: str | None = None
    report_generated: bool = False


def next_status(
    state: CaseState,
    action: str,
    actor: str,
    role: str,
    fingerprint: str | None = None,
    decision: str | None = None,
) -> str:
    """The status after `action` by `actor`, or WorkflowError saying why it is refused."""
    if action not in RULES:
        raise WorkflowError(f"unknown case action {action!r}")
    allowed_from, right = RULES[action]
    if action in DECISION_ACTIONS and actor.startswith(_MACHINE):
        raise WorkflowError(
            f"{action} refused: {actor} is an API key; four eyes are two people, so a "
            "signed-in person proposes, approves or returns"
        )
    if action in (APPROVE, RETURN) and state.status == PROPOSED and state.proposed_by == actor:
        _four_eyes(state, action, actor, fingerprint)  # whatever the role: the rule to know
    if not may(role, right):
        raise WorkflowError(f"{action} refused: the role {role} may not {right}")
    if state.status not in allowed_from:
        raise WorkflowError(f"{action} refused: the case is {state.status}")
    return _after(state, action, actor, fingerprint, decision)


def _after(
    state: CaseState, action: str, actor: str, fingerprint: str | None, decision: str | None
) -> str:
    if action in (EDIT, COMMENT):
        return INVESTIGATING if state.status == OPEN else state.status
    if action == PROPOSE:
        if decision not in DECISIONS:
            raise WorkflowError(f"propose refused: the decision must be one of {DECISIONS}")
        return PROPOSED
    if action == WITHDRAW:
        _own_proposal(state, actor)
        return INVESTIGATING
    if action in (APPROVE, RETURN):
        _four_eyes(state, action, actor, fingerprint)
        if state.status == APPROVED:
            _unreported(state)
        return APPROVED if action == APPROVE else RETURNED
    if action == CLOSE_CASE:
        _decided(state, CLOSE, action)
        return CLOSED
    _decided(state, REPORT, action)
    return REPORTED


def _four_eyes(state: CaseState, action: str, actor: str, fingerprint: str | None) -> None:
    if state.proposed_by == actor:
        raise WorkflowError(
            f"{action} refused: {actor} proposed this decision; another supervisor must "
            f"{action} it (four eyes)"
        )
    if action == APPROVE and fingerprint != state.proposed_fingerprint:
        raise WorkflowError(
            "approve refused: the case changed after the proposal (evidence or details); "
            "return it so that the analyst proposes again"
        )


def _own_proposal(state: CaseState, actor: str) -> None:
    """Only the proposer takes a proposal back (found wrong before anyone decided on it); anyone
    else's word on it is a decision, a return by a supervisor with the reason."""
    if state.proposed_by != actor:
        raise WorkflowError(
            f"withdraw refused: {state.proposed_by} proposed this decision; only they withdraw "
            "it (a supervisor returns it with a reason)"
        )


def _unreported(state: CaseState) -> None:
    """An approved report goes back only while none was written: the schema may refuse what
    the case holds (a name longer than goAML takes), and an approved case cannot be edited."""
    if state.decision != REPORT or state.report_generated:
        done = "its report was generated" if state.report_generated else "it is closed"
        raise WorkflowError(f"return refused: the case is approved and {done}")


def _decided(state: CaseState, wanted: str, action: str) -> None:
    if state.decision != wanted:
        raise WorkflowError(
            f"{action} refused: the approved decision is {state.decision}, not {wanted}"
        )
