"""A sign-in under a name longer than any user's is refused as unknown, and audited.

User names are at most 64 characters, the width of the name columns. A longer one typed at the
sign-in form (or sent by a script) reached the audit entry of the refusal as it was: PostgreSQL
refused the entry (`value too long`), so the refusal went unrecorded and the service answered
422 for what is a wrong sign-in. Its failures were counted under its first 64 characters, the
name of a user who may exist: someone else's guesses locked that user out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from jalur.audit import entries
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import AccessError, RateLimitedError, add_user, sign_in_limited

PW = "correct horse battery"
LIMIT, WINDOW_S = 3, 900
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LONGEST = "a" * 64  # a user may have it


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    admin = add_user(opened, None, "root", "admin", PW)
    add_user(opened, admin, LONGEST, "analyst", PW)
    yield opened
    opened.dispose()


def test_a_name_too_long_for_any_user_is_refused_and_audited(engine: Engine) -> None:
    typed = LONGEST + "-and-then-some"
    for _ in range(LIMIT + 1):
        with pytest.raises(AccessError) as refused:
            sign_in_limited(engine, typed, "a guess", T0, LIMIT, WINDOW_S)
    assert isinstance(refused.value, RateLimitedError)  # its own guesses are braked
    with engine.connect() as con:
        refusals = [e for e in entries(con) if e.action == "access.refused"]
    assert len(refusals) == LIMIT + 1
    assert {e.user for e in refusals} == {"a" * 63 + "…"}  # no user's name: none has "…"
    # the user whose name the typed one begins with is not locked out by those guesses
    assert sign_in_limited(engine, LONGEST, PW, T0, LIMIT, WINDOW_S).name == LONGEST
