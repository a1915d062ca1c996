"""Deciding a case when two people act at once, or when the server stops halfway.

The workflow's rules hold per action; these tests look at what happens between actions: an
approval that also closes the case must not be left half done (approved, never closed, with
no action left that closes it), and two supervisors approving at the same moment decide once.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine

import jalur.cases.service as service
from jalur.audit import entries
from jalur.cases import Evidence, WorkflowError, approve, check_cases, open_case, propose
from jalur.cases.queries import case_details
from jalur.users import User, add_user

PW = "correct horse battery"
ALERT = Evidence("alert", "A-1", {"typology": "drug-to-terror", "score": 0.9})


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    root = add_user(engine, None, "root", "admin", PW)
    found = {"ana": add_user(engine, root, "ana", "analyst", PW)}
    for name in ("sam", "sue", "tom"):
        found[name] = add_user(engine, root, name, "supervisor", PW)
    return found


def _status(engine: Engine, case_id: str) -> str:
    details = case_details(engine, case_id)
    assert details is not None
    return str(details["status"])


def test_an_approval_that_closes_is_done_whole_or_not_at_all(
    engine: Engine, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server stops after the approval, before the close: the case must not stay approved
    (no action closes an approved close, and a return is refused: it would be stuck)."""
    case_id = open_case(engine, people["ana"], "false alarm", [ALERT])
    propose(engine, people["ana"], case_id, "close", "a payroll, not a channel")
    dispose = service._dispose

    def server_stops(*_args: Any) -> dict[str, Any]:
        raise RuntimeError("the server stopped")

    monkeypatch.setattr(service, "_dispose", server_stops)
    with pytest.raises(RuntimeError, match="the server stopped"):
        approve(engine, people["sam"], case_id)
    assert _status(engine, case_id) == "proposed"
    monkeypatch.setattr(service, "_dispose", dispose)
    assert approve(engine, people["sam"], case_id) == "closed"
    assert check_cases(engine) == []


@pytest.mark.parametrize("decision", ["report", "close"])
def test_three_supervisors_approving_at_once_decide_once(
    engine: Engine, people: dict[str, User], decision: str
) -> None:
    case_id = open_case(engine, people["ana"], "channel", [ALERT])
    propose(engine, people["ana"], case_id, decision, "listed beneficiary",
            "LTKMT" if decision == "report" else None)  # fmt: skip
    barrier = threading.Barrier(3)
    outcomes: dict[str, str] = {}

    def decide(name: str) -> None:
        barrier.wait()
        try:
            outcomes[name] = approve(engine, people[name], case_id)
        except WorkflowError as exc:
            outcomes[name] = str(exc)

    threads = [threading.Thread(target=decide, args=(n,)) for n in ("sam", "sue", "tom")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = "approved" if decision == "report" else "closed"
    assert sorted(outcomes.values()) == sorted(
        [final] + [f"approve refused: the case is {final}"] * 2
    ), outcomes
    with engine.connect() as con:
        actions = [e.action for e in entries(con, case_id)]
    assert actions.count("case.approve") == 1
    assert actions.count("case.close") == (decision == "close")
    assert check_cases(engine) == []
