"""Bearer tokens for people, API keys for machines, and a brake on guessing passwords.

A token is 32 random bytes handed out once; the store keeps only its sha256 with an expiry, so
a copy of the database (SQLite file or PostgreSQL dump) signs nobody in and a token outlives
neither its expiry nor a revocation. Tokens live in the transactional store, so several server
processes (or a restart) share them. API keys are the same idea for a bank's system: created
and revoked by an admin, each with its own role, agency, clearance and caveats, and an optional
expiry. Failed sign-ins are counted per user name in the store: after `max_failures` within
`window_s` the name is refused (audited) until the window has passed, right password or not.
Each sign-in purges (a bounded batch of) expired tokens and failures older than the window: the
brake needs only the window's failures, a dead token is refused whether its row is there or
not, and the trail keeps every issue, revocation and refusal for the auditor.

Every function takes `now`: the caller's clock, so that expiry is testable without waiting.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from jalur.audit import append, record
from jalur.canonical import iso, parse_iso
from jalur.sqlstore.schema import api_keys, api_tokens, login_failures
from jalur.users.clearance import (
    DEFAULT_CLEARANCE,
    check_agency,
    check_caveats,
    check_classification,
)
from jalur.users.roles import MANAGE_USERS, check_role, may
from jalur.users.service import (
    AccessError,
    User,
    UserError,
    find_user,
    managed_agency,
    recorded_name,
    require,
    require_manages,
    sign_in,
)

TOKEN_PREFIX, KEY_PREFIX = "jlt_", "jlk_"
#: The most expired tokens, and the most stale failures, one purge removes: a sign-in never
#: waits on the deletion of a backlog of years (the next ones take the rest).
PURGE_BATCH = 500


class RateLimitedError(AccessError):
    """Too many failed sign-ins for this name lately: refused without checking the password.
    `retry_after_s`: when a try is let through again (enough failures have left the window)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Issued:
    """A secret shown once (token or API key) and when it stops working (None: never)."""

    secret: str
    expires_at: str | None
    key_id: str | None = None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def sign_in_limited(
    engine: Engine, name: str, password: str, now: datetime, max_failures: int, window_s: int
) -> User:
    """`sign_in`, refused while `name` has `max_failures` failures within the last `window_s`.

    The attempt is counted as a failure before its password is checked (and forgiven when it
    was right): counted after the check, guesses sent at once all found the count below the
    limit and were all checked. Of guesses racing, the n-th committed sees at least n, so no
    more than `max_failures` get their password checked.
    """
    key = recorded_name(name)
    since = iso(now - timedelta(seconds=window_s))
    purge_stale_sign_ins(engine, now, window_s)
    with engine.begin() as con:
        inserted = con.execute(insert(login_failures).values(user_name=key, at=iso(now)))
        attempt = int(inserted.inserted_primary_key[0])  # type: ignore[index]
    with engine.connect() as con:
        failures = con.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.user_name == key, login_failures.c.at > since)
        ).scalar_one()
    if failures > max_failures:  # this attempt counted: it is not one of them
        _forgive(engine, attempt)
        record(engine, key, "access.refused", f"user:{key}", {
            "action": "sign-in", "reason": f"{failures - 1} failed sign-ins within {window_s} s",
        })  # fmt: skip
        wait = _retry_after(engine, key, now, window_s, failures - max_failures)
        raise RateLimitedError(
            f"sign-in refused: too many failed attempts for {name!r}; try again in {wait} s",
            wait,
        )
    user = sign_in(engine, name, password)  # a wrong one: the attempt stays, a failure
    _forgive(engine, attempt)
    return user


def _retry_after(engine: Engine, key: str, now: datetime, window_s: int, excess: int) -> int:
    """Seconds until `excess` of the name's counted failures have left the window, so that a
    try is let through again (at least 1)."""
    since = iso(now - timedelta(seconds=window_s))
    with engine.connect() as con:
        oldest = con.execute(
            select(login_failures.c.at)
            .where(login_failures.c.user_name == key, login_failures.c.at > since)
            .order_by(login_failures.c.at)
            .offset(excess - 1)
            .limit(1)
        ).scalar()
    if oldest is None:  # gone meanwhile (a right password reset the count): try now
        return 1
    leaves = parse_iso(str(oldest)) + timedelta(seconds=window_s)
    return max(1, math.ceil((leaves - now).total_seconds()))


def purge_stale_sign_ins(
    engine: Engine, now: datetime, window_s: int, batch: int = PURGE_BATCH
) -> tuple[int, int]:
    """Delete up to `batch` tokens expired by `now` and up to `batch` failed sign-ins older
    than `window_s`; returns how many of each went.

    Without it both tables grew with every sign-in for good. What stays is what is still of
    use: live and revoked-but-unexpired tokens (a revoked one must stay refused, and is, row
    or not), and the failures the brake counts (those within the window, the same bound as
    its count). Who signed in, out, or was refused is in the audit trail, not here.

    On PostgreSQL the rows another purge holds are skipped (SKIP LOCKED): sign-ins at once
    picked the same stale rows, the second waited for the first, and two picking them in
    different orders deadlocked. On SQLite writers take turns on the file already."""
    expired = select(api_tokens.c.token_hash).where(api_tokens.c.expires_at <= iso(now))
    stale = select(login_failures.c.id).where(
        login_failures.c.at <= iso(now - timedelta(seconds=window_s))
    )
    expired = expired.limit(batch).with_for_update(skip_locked=True)
    stale = stale.limit(batch).with_for_update(skip_locked=True)
    with engine.begin() as con:
        tokens = con.execute(
            delete(api_tokens).where(api_tokens.c.token_hash.in_(expired.scalar_subquery()))
        ).rowcount
        failures = con.execute(
            delete(login_failures).where(login_failures.c.id.in_(stale.scalar_subquery()))
        ).rowcount
    return int(tokens), int(failures)


def _forgive(engine: Engine, attempt: int) -> None:
    with engine.begin() as con:
        con.execute(delete(login_failures).where(login_failures.c.id == attempt))


def issue_token(engine: Engine, user: User, now: datetime, ttl_s: int) -> Issued:
    """A new bearer token for `user`, valid for `ttl_s` seconds (audited, secret not kept)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = iso(now + timedelta(seconds=ttl_s))
    with engine.begin() as con:
        con.execute(
            insert(api_tokens).values(
                token_hash=digest(secret), user_name=user.name, issued_at=iso(now),
                expires_at=expires,
            )
        )  # fmt: skip
        con.execute(delete(login_failures).where(login_failures.c.user_name == user.name))
        append(con, user.name, "auth.token", f"user:{user.name}", {"expires_at": expires})
    return Issued(secret, expires)


def revoke_token(engine: Engine, secret: str, now: datetime) -> bool:
    """Sign out: the token stops working now. False when it was not a live token.

    Audited (`auth.revoke`) as the token's issue is: who held a session, and until when, is
    what an auditor reconstructs from the trail."""
    live = (api_tokens.c.token_hash == digest(secret)) & api_tokens.c.revoked_at.is_(None)
    with engine.begin() as con:
        found = con.execute(
            select(api_tokens.c.user_name, api_tokens.c.expires_at).where(live)
        ).first()
        done = con.execute(update(api_tokens).where(live).values(revoked_at=iso(now)))
        if not done.rowcount or found is None:
            return False
        append(con, found.user_name, "auth.revoke", f"user:{found.user_name}",
               {"expires_at": found.expires_at})  # fmt: skip
        return True


def bearer_user(engine: Engine, secret: str, now: datetime) -> User | None:
    """Who a bearer secret (token or API key) stands for; None when forged, expired or revoked."""
    found = bearer_session(engine, secret, now)
    return None if found is None else found[0]


def bearer_session(engine: Engine, secret: str, now: datetime) -> tuple[User, str | None] | None:
    """`bearer_user` with the secret's expiry (ISO time, None: never): a server that keeps a
    verified secret for a moment still refuses it the instant it expires."""
    if secret.startswith(KEY_PREFIX):
        return _key_user(engine, secret, now)
    with engine.connect() as con:
        row = con.execute(
            select(api_tokens.c.user_name, api_tokens.c.expires_at, api_tokens.c.revoked_at)
            .where(api_tokens.c.token_hash == digest(secret))
        ).first()  # fmt: skip
    if row is None or row.revoked_at is not None or row.expires_at <= iso(now):
        return None
    user = find_user(engine, row.user_name)
    return None if user is None or user.disabled else (user, str(row.expires_at))


def create_api_key(
    engine: Engine,
    actor: User | None,
    label: str,
    now: datetime,
    *,
    role: str = "client",
    agency: str | None = None,
    clearance: str | None = None,
    caveats: Iterable[str] = (),
    ttl_days: int | None = None,
) -> Issued:
    """A new API key (shown once) for a machine client; only an admin creates one."""
    actor = require(engine, actor, MANAGE_USERS, f"create API key {label!r}")
    try:
        check_role(role)
        code = check_agency(agency) if agency else (actor.agency or "DEFAULT")
        level = check_classification(clearance or DEFAULT_CLEARANCE)
        held = check_caveats(caveats)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    require_manages(engine, actor, code, f"create API key {label!r}")
    if may(role, MANAGE_USERS):
        raise UserError(
            f"an API key cannot have the {role} role: a key is a machine's, no disable reaches "
            "it, and one that manages users and keys would outlast its maker (make an admin "
            "a user: `jalur users add NAME --role admin`)"
        )
    if not label.strip() or len(label) > 200:
        raise UserError("an API key needs a label of 1 to 200 characters")
    key_id = secrets.token_hex(8)
    secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    expires = iso(now + timedelta(days=ttl_days)) if ttl_days else None
    with engine.begin() as con:
        con.execute(
            insert(api_keys).values(
                id=key_id, key_hash=digest(secret), label=label, role=role, agency=code,
                clearance=level, caveats=json.dumps(list(held)), created_by=actor.name,
                created_at=iso(now), expires_at=expires,
            )
        )  # fmt: skip
        append(con, actor.name, "apikey.create", f"apikey:{key_id}", {
            "label": label, "role": role, "agency": code, "clearance": level,
            "caveats": list(held), "expires_at": expires,
        })  # fmt: skip
    return Issued(secret, expires, key_id)


def revoke_api_key(engine: Engine, actor: User | None, key_id: str, now: datetime) -> None:
    actor = require(engine, actor, MANAGE_USERS, f"revoke API key {key_id}")
    with engine.connect() as con:
        owner = con.execute(select(api_keys.c.agency).where(api_keys.c.id == key_id)).scalar()
    if owner is not None:
        require_manages(engine, actor, str(owner), f"revoke API key {key_id}",
                        f"no live API key {key_id}")  # fmt: skip
    with engine.begin() as con:
        done = con.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=iso(now), revoked_by=actor.name)
        )
        if not done.rowcount:
            raise UserError(f"no live API key {key_id}")
        append(con, actor.name, "apikey.revoke", f"apikey:{key_id}", {})


def list_api_keys(engine: Engine, agency: str | None = None) -> list[dict[str, Any]]:
    """The API keys (of `agency`, else every agency's) without their hashes: id, label, role,
    agency, who made it, when it ends. Unchecked: a person asking gets `api_keys_managed_by`."""
    columns = [c for c in api_keys.c if c.name != "key_hash"]
    query = select(*columns).order_by(api_keys.c.created_at)
    if agency is not None:
        query = query.where(api_keys.c.agency == agency)
    with engine.connect() as con:
        rows = con.execute(query).mappings().all()
    return [{**dict(r), "caveats": json.loads(r["caveats"])} for r in rows]


def api_keys_managed_by(engine: Engine, actor: User | None) -> list[dict[str, Any]]:
    """The API keys `actor` manages (an admin; refused and audited otherwise): their agency's,
    or every agency's for an admin of the installation's own. Open to anyone, the listing
    told every agency which machine clients the others have, and when their keys end."""
    actor = require(engine, actor, MANAGE_USERS, "list API keys")
    return list_api_keys(engine, managed_agency(engine, actor))


def _key_user(engine: Engine, secret: str, now: datetime) -> tuple[User, str | None] | None:
    key_id = secret[len(KEY_PREFIX) :].split("_", 1)[0]
    with engine.connect() as con:
        row = con.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None or not secrets.compare_digest(row.key_hash, digest(secret)):
        return None
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= iso(now)):
        return None
    user = User(
        f"key:{row.id}", row.role, row.agency, False, row.created_at, row.clearance,
        tuple(json.loads(row.caveats)),
    )  # fmt: skip
    return user, row.expires_at
