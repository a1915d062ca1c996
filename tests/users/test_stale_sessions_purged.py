"""Expired tokens and failed sign-ins older than the brake's window are purged.

Each sign-in adds a token row and each wrong password a failure row; nothing ever removed
either, so on a shared installation both tables grew for ever (a year of sign-ins every hour
of every analyst of every agency), and with them every sign-in's count of failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import api_tokens, login_failures
from jalur.users import (
    AccessError,
    RateLimitedError,
    add_user,
    bearer_user,
    issue_token,
    purge_stale_sign_ins,
    revoke_token,
    sign_in_limited,
)

PW = "correct horse battery"
LIMIT, WINDOW_S, TTL_S = 3, 900, 3600
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    admin = add_user(opened, None, "root", "admin", PW)
    add_user(opened, admin, "ana", "analyst", PW)
    yield opened
    opened.dispose()


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _fail(engine: Engine, name: str, at: datetime) -> None:
    with pytest.raises(AccessError):
        sign_in_limited(engine, name, "not the password", at, LIMIT, WINDOW_S)


def test_a_sign_in_purges_expired_tokens_and_keeps_live_and_revoked_ones(engine: Engine) -> None:
    ana = sign_in_limited(engine, "ana", PW, T0, LIMIT, WINDOW_S)
    old = [issue_token(engine, ana, T0, TTL_S) for _ in range(3)]
    later = T0 + timedelta(seconds=TTL_S + 60)
    live = issue_token(engine, ana, later, TTL_S)
    revoked = issue_token(engine, ana, later, TTL_S)
    assert revoke_token(engine, revoked.secret, later)
    assert _count(engine, api_tokens) == 5

    sign_in_limited(engine, "ana", PW, later, LIMIT, WINDOW_S)

    assert _count(engine, api_tokens) == 2  # the three expired ones are gone
    assert bearer_user(engine, live.secret, later) is not None
    assert bearer_user(engine, revoked.secret, later) is None  # still refused
    assert all(bearer_user(engine, t.secret, later) is None for t in old)


def test_failures_outside_the_window_are_purged_and_the_brake_still_holds(
    engine: Engine,
) -> None:
    for i in range(LIMIT):
        _fail(engine, "ana", T0 + timedelta(seconds=i))
    for i in range(2):
        _fail(engine, "root", T0 + timedelta(seconds=i))
    assert _count(engine, login_failures) == LIMIT + 2
    within = T0 + timedelta(seconds=WINDOW_S - 60)
    with pytest.raises(RateLimitedError):  # the failures within the window are kept
        sign_in_limited(engine, "ana", PW, within, LIMIT, WINDOW_S)
    assert _count(engine, login_failures) == LIMIT + 2

    after = T0 + timedelta(seconds=WINDOW_S + 60)
    _fail(engine, "ana", after)
    assert _count(engine, login_failures) == 1  # every name's old failures went, not ana's only


def test_the_purge_is_bounded_and_says_what_it_removed(engine: Engine) -> None:
    ana = sign_in_limited(engine, "ana", PW, T0, LIMIT, WINDOW_S)
    for _ in range(5):
        issue_token(engine, ana, T0, TTL_S)
    for i in range(LIMIT):
        _fail(engine, "root", T0 + timedelta(seconds=i))
    later = T0 + timedelta(seconds=TTL_S + WINDOW_S)

    assert purge_stale_sign_ins(engine, later, WINDOW_S, batch=2) == (2, 2)
    assert _count(engine, api_tokens) == 3
    assert purge_stale_sign_ins(engine, later, WINDOW_S, batch=10) == (3, LIMIT - 2)
    assert purge_stale_sign_ins(engine, later, WINDOW_S, batch=10) == (0, 0)
    assert _count(engine, api_tokens) == 0
    assert _count(engine, login_failures) == 0
