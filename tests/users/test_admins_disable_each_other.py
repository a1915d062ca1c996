"""Two admins disabling each other at the same moment: one of them must stay.

Each had signed in (enabled) before the other's disable committed; neither may disable
themselves, so each passed every check, and both committed: when they were the last two admins,
no admin was left to add or disable anyone (and the first-user path is closed once users
exist). A disable now
locks the acting admin's row with the target's (in name order, so two of them cannot wait for
each other) and refuses an actor disabled meanwhile. One side is held open at its critical
point by a hook and released by an event; on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

import jalur.users.service as user_service
from jalur.audit import entries
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import AccessError, add_user, disable_user, list_users

PW = "correct horse battery"
#: How long the held side waits for the other before it goes on (the other, rightly waiting
#: for the held side's lock, never signals).
MOMENT_S = 1.0


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def test_of_two_admins_disabling_each_other_one_stays(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = add_user(engine, None, "root", "admin", PW)
    amy = add_user(engine, root, "amy", "admin", PW)
    ben = add_user(engine, root, "ben", "admin", PW)
    written, other_done = threading.Event(), threading.Event()
    real_append = user_service.append

    def hold_amys_disable(con: Any, *args: Any, **kwargs: Any) -> Any:
        entry = real_append(con, *args, **kwargs)
        if args[:3] == ("amy", "user.disable", "user:ben"):  # written, not yet committed
            written.set()
            other_done.wait(MOMENT_S)
        return entry

    monkeypatch.setattr(user_service, "append", hold_amys_disable)
    outcome: list[object] = []

    def amy_disables_ben() -> None:
        disable_user(engine, amy, "ben")

    held = threading.Thread(target=amy_disables_ben)
    held.start()
    assert written.wait(30)
    try:
        disable_user(engine, ben, "amy")
        outcome.append("ben disabled amy")
    except AccessError as exc:
        outcome.append(exc)
    other_done.set()
    held.join()

    disabled = {u.name for u in list_users(engine) if u.disabled}
    assert disabled == {"ben"}
    assert len(outcome) == 1 and isinstance(outcome[0], AccessError), outcome
    assert "ben is disabled" in str(outcome[0])
    with engine.connect() as con:
        refused = [e for e in entries(con) if e.action == "access.refused"]
    assert refused[-1].user == "ben"
    assert refused[-1].details["action"] == "disable user amy"
