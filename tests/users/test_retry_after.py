"""A refused sign-in says when the name may try again (429 with `Retry-After`).

The brake answered 429 with no hint of when it lets go: a bank's screening system signing in
with a client's user retried at once, and every retry was refused (and audited) until the
window had passed. The wait is until enough counted failures have left the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import AccessError, RateLimitedError, add_user, sign_in_limited

PW = "correct horse battery"
LIMIT, WINDOW_S = 3, 900
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    admin = add_user(opened, None, "root", "admin", PW)
    add_user(opened, admin, "ana", "analyst", PW)
    yield opened
    opened.dispose()


def _refused_after(engine: Engine, at: datetime) -> int:
    with pytest.raises(RateLimitedError) as refused:
        sign_in_limited(engine, "ana", PW, at, LIMIT, WINDOW_S)
    return refused.value.retry_after_s


def test_the_wait_is_until_the_oldest_counted_failure_leaves_the_window(engine: Engine) -> None:
    for seconds in (0, 10, 20):
        with pytest.raises(AccessError):
            sign_in_limited(engine, "ana", "not the password", T0 + timedelta(seconds=seconds),
                            LIMIT, WINDOW_S)  # fmt: skip
    assert _refused_after(engine, T0 + timedelta(seconds=30)) == WINDOW_S - 30
    assert _refused_after(engine, T0 + timedelta(seconds=WINDOW_S - 1)) == 1
    # the first failure has left the window: a try is let through (and the right one signs in)
    assert sign_in_limited(engine, "ana", PW, T0 + timedelta(seconds=WINDOW_S), LIMIT,
                           WINDOW_S).name == "ana"  # fmt: skip
