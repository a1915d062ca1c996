"""A supervisor assigns a case to an analyst while an admin disables that analyst.

The assignment checks that the assignee is enabled, then writes; the disable writes the flag.
On PostgreSQL (READ COMMITTED) each used to miss the other's uncommitted write: the analyst
ended up disabled with a case given to them after they were disabled. Both paths now lock the
user's row, so one waits for the other and sees what it committed. Each test holds one side
open at its critical point (a hook, released by an event) while the other runs, on SQLite and
PostgreSQL alike; the held side waits at most a moment for the other before it goes on, which
the other may never signal when it is (rightly) waiting for the held side's lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select

import jalur.cases.service as case_service
import jalur.users.service as user_service
from jalur.audit import entries
from jalur.cases import CaseError, Evidence, assign, open_case
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import cases
from jalur.users import User, add_user, disable_user, find_user

PW = "correct horse battery"
#: How long a held side waits for the other side before going on (the other side, when it is
#: rightly waiting for the held side's lock, never gets there).
MOMENT_S = 1.0


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


@pytest.fixture
def team(engine: Engine) -> tuple[User, User, str]:
    """The admin, the supervisor and a case the supervisor opened (ana is an analyst)."""
    root = add_user(engine, None, "root", "admin", PW)
    sup = add_user(engine, root, "sup", "supervisor", PW)
    add_user(engine, root, "ana", "analyst", PW)
    case_id = open_case(engine, sup, "structuring", [Evidence("alert", "A-1", {})])
    return root, sup, case_id


def _in_thread(work: Any) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # every outcome is looked at
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _assignee(engine: Engine, case_id: str) -> str | None:
    with engine.connect() as con:
        return con.execute(select(cases.c.assignee).where(cases.c.id == case_id)).scalar_one()


def test_a_user_disabled_before_the_assignment_commits_is_not_assigned(
    engine: Engine, team: tuple[User, User, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, sup, case_id = team
    disabled_written, assign_done = threading.Event(), threading.Event()
    real_append = user_service.append

    def hold_the_disable(con: Any, *args: Any, **kwargs: Any) -> Any:
        entry = real_append(con, *args, **kwargs)
        if args[1] == "user.disable":  # written, not yet committed
            disabled_written.set()
            assign_done.wait(MOMENT_S)
        return entry

    monkeypatch.setattr(user_service, "append", hold_the_disable)
    disabling, disabled = _in_thread(lambda: disable_user(engine, root, "ana"))
    assert disabled_written.wait(30)
    assigning, assigned = _in_thread(lambda: assign(engine, sup, case_id, "ana"))
    assigning.join()
    assign_done.set()
    disabling.join()

    assert disabled == [None]
    assert len(assigned) == 1 and isinstance(assigned[0], CaseError), assigned
    assert "disabled user 'ana'" in str(assigned[0])
    assert _assignee(engine, case_id) is None
    found = find_user(engine, "ana")
    assert found is not None and found.disabled


def test_a_disable_waits_for_an_assignment_that_checked_the_user(
    engine: Engine, team: tuple[User, User, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, sup, case_id = team
    user_checked, disable_done = threading.Event(), threading.Event()
    real_may = case_service.may

    def hold_the_assignment(role: str, right: str) -> bool:
        user_checked.set()  # the assignee was read as enabled; the case is not yet written
        disable_done.wait(MOMENT_S)
        return real_may(role, right)

    monkeypatch.setattr(case_service, "may", hold_the_assignment)
    assigning, assigned = _in_thread(lambda: assign(engine, sup, case_id, "ana"))
    assert user_checked.wait(30)
    disabling, disabled = _in_thread(lambda: disable_user(engine, root, "ana"))
    disabling.join()
    disable_done.set()
    assigning.join()

    assert assigned == [None] and disabled == [None]
    with engine.connect() as con:
        trail = list(entries(con))
    assign_at = next(e.seq for e in trail if e.details.get("assignee") == "ana")
    disable_at = next(e.seq for e in trail if e.action == "user.disable")
    assert assign_at < disable_at, "the assignment committed after the assignee was disabled"
