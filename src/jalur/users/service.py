"""Users in the SQL store: add, list, disable, enable, sign in. Every change and refusal is audited.

The first user of an empty workspace is added without signing in (someone has to be first) and
must be an admin; after that only a signed-in admin adds or disables users. A refused sign-in or
a missing right is recorded in the audit trail before the refusal is raised, in a transaction of
its own, so that the refusal stays on record while the refused action changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, RowMapping, func, insert, select, update

from jalur.audit import append, record, take_turn
from jalur.canonical import iso, utcnow
from jalur.sqlstore.schema import agencies, api_tokens, user_clearances, users
from jalur.users.clearance import (
    DEFAULT_CLEARANCE,
    check_agency,
    check_caveats,
    check_classification,
)
from jalur.users.passwords import hash_password, verify_password, weakness
from jalur.users.roles import ADMIN, MANAGE_USERS, check_role, may

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_NAME_MAX = 64


class AccessError(Exception):
    """Not signed in, wrong password, disabled, or a role without the right: nothing changed."""


class UserError(ValueError):
    """A user cannot be added or changed as asked (bad name, role, password, duplicate)."""


@dataclass(frozen=True)
class User:
    """A person (or, named `key:ID`, a machine with an API key) acting for an agency.

    `clearance` is the highest classification they may see, `caveats` the handling caveats they
    hold; together with `agency` they decide what the service shows them (see `api.access`)."""

    name: str
    role: str
    agency: str | None
    disabled: bool
    created_at: str
    clearance: str = DEFAULT_CLEARANCE
    caveats: tuple[str, ...] = ()


def add_user(
    engine: Engine,
    actor: User | None,
    name: str,
    role: str,
    password: str,
    agency: str | None = None,
    clearance: str | None = None,
    caveats: Iterable[str] = (),
) -> User:
    """Add `name`; `actor` is None only for the first user of an empty workspace.

    Without `agency` the user belongs to the actor's agency (the installation's default agency
    for the first user): defaulting to the installation's refused every agency admin's add. An
    agency code seen for the first time is created (audited). Without `clearance`,
    DEFAULT_CLEARANCE."""
    _check_new(name, role, password)
    try:
        code = check_agency(agency) if agency else (actor.agency if actor else None)
        level = check_classification(clearance or DEFAULT_CLEARANCE)
        held = check_caveats(caveats)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if workspace_has_users(engine):  # checked before the write transaction: refusals are audited
        _require(engine, actor, MANAGE_USERS, f"add user {name}")
        assert actor is not None
        require_manages(engine, actor, code, f"add user {name}")
    with engine.begin() as con:
        take_turn(con)  # another admin adding the same name (or the first user) waits here
        first = con.execute(select(func.count()).select_from(users)).scalar_one() == 0
        if first and role != ADMIN:
            raise UserError("the first user of a workspace must be an admin (--role admin)")
        if not first and actor is None:
            raise UserError("another user was added meanwhile: sign in as an admin to add users")
        if _row(con, name) is not None:
            raise UserError(f"user {name} exists already")
        now = iso(utcnow())
        by = actor.name if actor else None
        code = code or default_agency(con)
        new_agency = ensure_agency(con, code)
        con.execute(
            insert(users).values(
                name=name, role=role, agency=code, password_hash=hash_password(password),
                disabled=False, created_at=now, created_by=by,
            )
        )  # fmt: skip
        con.execute(
            insert(user_clearances).values(
                user_name=name, clearance=level, caveats=json.dumps(list(held))
            )
        )
        details = {
            "role": role, "agency": code, "clearance": level, "caveats": list(held),
            "first_user": first, "new_agency": new_agency,
        }  # fmt: skip
        append(con, by or name, "user.add", f"user:{name}", details)
    return User(name, role, code, False, now, level, held)


def managed_agency(engine: Engine, actor: User) -> str | None:
    """The one agency whose users and API keys `actor` (an admin) manages; None: every agency
    (an admin of the installation's own agency, who adds every agency's first users). The
    same rule `require_manages` enforces on a change, for what a listing shows."""
    with engine.connect() as con:
        home = default_agency(con)
    own = actor.agency or home
    return None if own == home else own


def require_manages(
    engine: Engine, actor: User, agency: str | None, action: str, unseen: str | None = None
) -> None:
    """An admin of an agency other than the installation's own manages that agency's users
    and API keys only (`agency` None: the default agency's); else AccessError, audited.
    Every agency's admin runs `jalur users` on the shared installation (users are added
    there only), so this is what keeps one agency's admin from adding a user to another
    agency, and so reading its data. The default agency's admins add every agency's first.

    `unseen`: what a missing record is answered with, for a user or key the actor named
    but may not see: told "not agency PPATK's", trying names gave away who works where."""
    with engine.connect() as con:
        home = default_agency(con)
    own, target = actor.agency or home, agency or home
    if own != home and target != own:
        _refuse(engine, actor.name, action,
                f"an admin of agency {own} manages agency {own}'s users and keys only, "
                f"not agency {target}'s", told=unseen)  # fmt: skip


def default_agency(con: Connection) -> str:
    """The installation's own agency: what unmarked data and agency-less users belong to."""
    found = con.execute(select(agencies.c.code).where(agencies.c.is_default)).scalar()
    return str(found) if found else "DEFAULT"


def ensure_agency(con: Connection, code: str) -> bool:
    """Create agency `code` when it is new (True); the caller's audit entry says so."""
    if con.execute(select(agencies.c.code).where(agencies.c.code == code)).first():
        return False
    con.execute(
        insert(agencies).values(code=code, name=code, is_default=False, created_at=iso(utcnow()))
    )
    return True


def list_agencies(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as con:
        rows = con.execute(select(agencies).order_by(agencies.c.code)).mappings().all()
    return [dict(r) for r in rows]


def find_user(engine: Engine, name: str) -> User | None:
    """The user called `name` (enabled or not), None when there is none."""
    with engine.connect() as con:
        row = _row(con, name)
        return None if row is None else _user(con, row._mapping)


def list_users(engine: Engine) -> list[User]:
    """Every user of every agency, unchecked: for code that scopes what it shows itself (a
    person asking for the list gets `users_managed_by`)."""
    with engine.connect() as con:
        rows = con.execute(select(users).order_by(users.c.name)).mappings().all()
        return [_user(con, row) for row in rows]


def users_managed_by(engine: Engine, actor: User | None) -> list[User]:
    """The users `actor` manages (an admin; refused and audited otherwise): their agency's,
    or every agency's for an admin of the installation's own. A listing open to anyone
    showed every agency's staff to whoever had a shell on the shared installation."""
    actor = require(engine, actor, MANAGE_USERS, "list users")
    agency = managed_agency(engine, actor)
    with engine.connect() as con:
        home = default_agency(con)
    found = list_users(engine)
    return found if agency is None else [u for u in found if (u.agency or home) == agency]


def disable_user(engine: Engine, actor: User | None, name: str) -> None:
    """Disable `name`: they no longer sign in, and every token they hold is revoked (else
    enabling them again would bring back the sessions they had before)."""
    actor = require(engine, actor, MANAGE_USERS, f"disable user {name}")
    if actor.name == name:
        raise UserError("an admin cannot disable themselves (another admin can)")
    _set_disabled(engine, actor, name, True)


def enable_user(engine: Engine, actor: User | None, name: str) -> None:
    """Enable a disabled user again, by the rules of disabling (an admin of their agency or
    of the installation's, audited `user.enable`): without it, only SQL on the store did it,
    unaudited. Their old tokens stay revoked: they sign in afresh."""
    actor = require(engine, actor, MANAGE_USERS, f"enable user {name}")
    _set_disabled(engine, actor, name, False)


def _set_disabled(engine: Engine, actor: User, name: str, disabled: bool) -> None:
    verb = "disable" if disabled else "enable"
    target = find_user(engine, name)
    if target is not None:
        require_manages(engine, actor, target.agency, f"{verb} user {name}", f"no user {name}")
    with engine.begin() as con:
        # the actor's row too, in name order: two admins disabling each other take turns, and
        # the second finds itself disabled (else both commit, and neither is left to undo it)
        rows = {who: lock_user(con, who) for who in sorted({actor.name, name})}
        found = rows[name]
        if found is None:
            raise UserError(f"no user {name}")
        if bool(found.disabled) == disabled:
            state = "disabled already" if disabled else "not disabled"
            raise UserError(f"{name} is {state}; nothing was changed")
        mine = rows[actor.name]
        stale = mine is None or mine.disabled
        if not stale:
            con.execute(update(users).where(users.c.name == name).values(disabled=disabled))
            if disabled:
                _revoke_tokens(con, name)
            append(con, actor.name, f"user.{verb}", f"user:{name}", {})
    if stale:
        _refuse(engine, actor.name, f"{verb} user {name}",
                f"{actor.name} is disabled (since signing in)")  # fmt: skip


def _revoke_tokens(con: Connection, name: str) -> None:
    con.execute(
        update(api_tokens)
        .where(api_tokens.c.user_name == name, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=iso(utcnow()))
    )


def lock_user(con: Connection, name: str) -> Row[Any] | None:
    """The user's row, locked until the caller's transaction ends (None: no such user).

    For a transaction that checks a user before it writes (an assignment checks that the
    assignee is enabled) and for the one that changes the user (a disable). On PostgreSQL,
    READ COMMITTED lets each miss the other's uncommitted write: a user disabled while a case
    was given to them ended up disabled and assigned. Locked, the second waits for the first
    and reads what it committed. On SQLite every write transaction begins IMMEDIATE, so they
    take turns already (and SQLite has no FOR UPDATE)."""
    return con.execute(select(users).where(users.c.name == name).with_for_update()).first()


def workspace_has_users(engine: Engine) -> bool:
    with engine.connect() as con:
        return bool(con.execute(select(func.count()).select_from(users)).scalar_one())


def sign_in(engine: Engine, name: str, password: str) -> User:
    """The user when the password matches and the account is enabled; else AccessError, audited."""
    with engine.connect() as con:
        row = _row(con, name)
        user = None if row is None else _user(con, row._mapping)
    if row is None or not verify_password(password, row.password_hash):
        _refuse(engine, name, "sign-in", "unknown user or wrong password")
    assert row is not None and user is not None
    if row.disabled:
        _refuse(engine, name, "sign-in", "the account is disabled")
    return user


def require(engine: Engine, actor: User | None, right: str, action: str) -> User:
    """`actor` when their role has `right`; else AccessError (audited)."""
    _require(engine, actor, right, action)
    assert actor is not None
    return actor


def _require(engine: Engine, actor: User | None, right: str, action: str) -> None:
    if actor is None:
        _refuse(engine, None, action, "not signed in (give --user NAME or JALUR_USER)")
    assert actor is not None
    if not may(actor.role, right):
        _refuse(engine, actor.name, action, f"the role {actor.role} may not {right}")


def recorded_name(name: str) -> str:
    """A typed name as the trail and the sign-in brake keep it. One longer than any user's
    (64, the name columns' width) is cut and marked "…", which no user name holds: kept
    whole, PostgreSQL refused the refusal's entry (unaudited, a 422); cut plainly, it stood
    for the user whose name it begins with, whom its guesses then locked out."""
    return name if len(name) <= _NAME_MAX else name[: _NAME_MAX - 1] + "…"


def _refuse(
    engine: Engine, who: str | None, action: str, reason: str, told: str | None = None
) -> None:
    """Record the refusal, then raise it (saying `told` instead of the reason, when given)."""
    who = recorded_name(who) if who else who
    record(engine, who, "access.refused", f"user:{who}" if who else None, {
        "action": action, "reason": reason,
    })  # fmt: skip
    raise AccessError(told or f"{action} refused: {reason}; nothing was changed")


def _check_new(name: str, role: str, password: str) -> None:
    if not _NAME.match(name):
        raise UserError(
            f"user name {name!r}: use lower-case letters, digits, '.', '_' or '-' (at most 64)"
        )
    try:
        check_role(role)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    weak = weakness(password)
    if weak:
        raise UserError(weak)


def _row(con: Connection, name: str) -> Row[Any] | None:
    return con.execute(select(users).where(users.c.name == name)).first()


def _user(con: Connection, data: RowMapping) -> User:
    cleared = con.execute(
        select(user_clearances).where(user_clearances.c.user_name == data["name"])
    ).first()
    clearance = cleared.clearance if cleared else DEFAULT_CLEARANCE
    caveats = tuple(json.loads(cleared.caveats)) if cleared else ()
    return User(
        data["name"], data["role"], data["agency"], bool(data["disabled"]), data["created_at"],
        clearance, caveats,
    )  # fmt: skip
