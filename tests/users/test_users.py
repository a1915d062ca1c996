"""Users and roles: the first admin, who may add and disable, signing in, refusals audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from jalur.audit import check_trail, entries
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import users as users_table
from jalur.users import (
    APPROVE_CASES,
    MANAGE_USERS,
    RIGHTS,
    ROLES,
    WORK_CASES,
    AccessError,
    UserError,
    add_user,
    bearer_user,
    disable_user,
    issue_token,
    list_users,
    may,
    require,
    revoke_token,
    sign_in,
    verify_password,
)

PW = "correct horse battery"


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as con:
        return [e.action for e in entries(con)]


def test_the_first_user_must_be_an_admin(engine: Engine) -> None:
    with pytest.raises(UserError, match="first user of a workspace must be an admin"):
        add_user(engine, None, "ana", "analyst", PW)
    admin = add_user(engine, None, "root", "admin", PW)
    assert admin.role == "admin"
    with pytest.raises(AccessError, match="not signed in"):
        add_user(engine, None, "ana", "analyst", PW)
    add_user(engine, admin, "ana", "analyst", PW, agency="PPATK")
    assert [(u.name, u.role, u.agency) for u in list_users(engine)] == [
        ("ana", "analyst", "PPATK"),
        ("root", "admin", "DEFAULT"),
    ]
    assert _actions(engine) == ["user.add", "access.refused", "user.add"]


def test_passwords_are_stored_as_scrypt_hashes(engine: Engine) -> None:
    add_user(engine, None, "root", "admin", PW)
    with engine.connect() as con:
        stored = con.execute(select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("scrypt$32768$8$1$")
    assert PW not in stored
    assert verify_password(PW, stored)
    assert not verify_password(PW + "x", stored)


def test_sign_in_refusals_are_audited_and_change_nothing(engine: Engine) -> None:
    admin = add_user(engine, None, "root", "admin", PW)
    add_user(engine, admin, "ana", "analyst", PW)
    assert sign_in(engine, "ana", PW).role == "analyst"
    with pytest.raises(AccessError, match="wrong password"):
        sign_in(engine, "ana", "not the password")
    with pytest.raises(AccessError, match="wrong password"):
        sign_in(engine, "nobody", PW)
    disable_user(engine, admin, "ana")
    with pytest.raises(AccessError, match="disabled"):
        sign_in(engine, "ana", PW)
    assert _actions(engine)[-4:] == [
        "access.refused",
        "access.refused",
        "user.disable",
        "access.refused",
    ]
    assert check_trail(engine, [], Path("/nonexistent/seals.jsonl")).intact


def test_a_role_without_the_right_is_refused(engine: Engine) -> None:
    admin = add_user(engine, None, "root", "admin", PW)
    analyst = add_user(engine, admin, "ana", "analyst", PW)
    with pytest.raises(AccessError, match="the role analyst may not manage users"):
        add_user(engine, analyst, "eve", "admin", PW)
    with pytest.raises(AccessError, match="may not approve cases"):
        require(engine, analyst, APPROVE_CASES, "approve CASE-1")
    assert [u.name for u in list_users(engine)] == ["ana", "root"]


@pytest.mark.parametrize(
    ("name", "role", "password", "reason"),
    [
        ("Bad Name", "analyst", PW, "user name"),
        ("ana", "boss", PW, "unknown role"),
        ("ana", "analyst", "short", "at least 10"),
        ("root", "analyst", PW, "exists already"),
    ],
)
def test_bad_new_users_are_refused_with_the_reason(
    engine: Engine, name: str, role: str, password: str, reason: str
) -> None:
    admin = add_user(engine, None, "root", "admin", PW)
    with pytest.raises(UserError, match=reason):
        add_user(engine, admin, name, role, password)


def test_role_rights_table() -> None:
    assert set(RIGHTS) == set(ROLES)
    assert may("supervisor", APPROVE_CASES)
    assert not may("analyst", APPROVE_CASES)
    assert not may("auditor", WORK_CASES)
    assert may("admin", MANAGE_USERS)
    assert not may("admin", WORK_CASES)
    assert not may("nobody", WORK_CASES)


def test_signing_out_is_on_the_trail_as_signing_in_is(engine: Engine) -> None:
    """An auditor reading who held a session when needs its end as well as its start."""
    root = add_user(engine, None, "root", "admin", PW)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    issued = issue_token(engine, root, now, 3600)
    assert revoke_token(engine, issued.secret, now)
    assert bearer_user(engine, issued.secret, now) is None
    with engine.connect() as con:
        newest = list(entries(con))[-1]
    assert (newest.action, newest.user, newest.object) == ("auth.revoke", "root", "user:root")
    assert newest.details == {"expires_at": issued.expires_at}
    before = _actions(engine)
    assert not revoke_token(engine, issued.secret, now)  # twice: nothing revoked, nothing said
    assert not revoke_token(engine, "jlt_forged", now)
    assert _actions(engine) == before


def test_disabling_a_disabled_user_says_so_and_adds_nothing(engine: Engine) -> None:
    """Two admins acting on the same report both disabled ana: the second was told
    `disabled ana` as if it had done something, and the trail held two disables of one user."""
    root = add_user(engine, None, "root", "admin", PW)
    add_user(engine, root, "ana", "analyst", PW)
    disable_user(engine, root, "ana")
    before = _actions(engine)
    with pytest.raises(UserError, match="ana is disabled already"):
        disable_user(engine, root, "ana")
    assert _actions(engine) == before
