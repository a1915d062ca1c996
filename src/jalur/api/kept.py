"""What requests would read again and again from the transactional store, kept between them:
who a bearer secret stands for, every marking of a kind, each case's details.

Every request asked the store who its token stands for (two queries) and read the markings of
the records it shows (two more), and a case read ran five: on PostgreSQL a round trip each,
plus a connection check, for answers that change only when someone writes. So the answers are
kept (`Service.bearers`, `.markings`, `.case_details`), each tied to the
`Changes` generation it was read at: any transaction this process commits on the store moves
the generation on (as it begins to commit, and again once its connection is back in the pool,
when the commit is surely visible), and an answer kept at an older generation is read afresh.
A reader keeps what it read only when no commit began or ended while it read, so nothing older
than this process's last write is ever used: a share, a revocation, a sign-out, a new record's
marking take effect with the next request. A transaction that only appends a read to the audit
trail (`record_read`: a case shown) moves no generation: nothing kept is read from the trail.

Another process may write the store too (`jalur users disable`, `jalur users key revoke` on
the command line). Its writes move no generation here, so nothing is kept longer than `MAX_AGE_S`
by the service's clock: they take effect within that. A kept secret's own expiry is checked
on every use.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, event

from jalur import audit
from jalur.canonical import iso
from jalur.users import User, bearer_session

#: How long an answer is kept at most (seconds by the service's clock): the delay before a
#: write made by another process (a user disabled on the command line) takes effect here.
MAX_AGE_S = 5.0
#: Kept answers per cache at most (a cache that fills up starts again empty).
MAX_KEPT = 10_000
_COMMITTED = "jalur.committed"
#: Set on a connection whose transaction only appends to the audit trail (`record_read`).
_TRAIL_ONLY = "jalur.trail-only"

T = TypeVar("T")


class Changes:
    """The generation of the transactional store as this process writes it."""

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        event.listen(engine, "commit", self._committing)
        event.listen(engine, "checkin", self._returned)  # a pool event, kept across dispose()

    def _bump(self) -> None:
        with self._lock:
            self.generation += 1

    def _committing(self, con: Any) -> None:
        if con.info.get(_TRAIL_ONLY):
            return  # nothing kept is read from the audit trail
        con.info[_COMMITTED] = True
        self._bump()

    def _returned(self, _dbapi: Any, record: Any) -> None:
        if record.info.pop(_COMMITTED, False):
            self._bump()


def record_read(
    engine: Engine, user: str, action: str, obj: str | None, details: Mapping[str, Any]
) -> None:
    """Append one audit entry for a read (a case shown, the trail listed) without moving the
    generation: no kept answer is read from the trail, and a recorded read must not make the
    next request read its token, markings and cases afresh (a case read would otherwise cost
    every kept answer of the process)."""
    con = engine.connect()
    try:
        con.info[_TRAIL_ONLY] = True
        with con.begin():
            audit.append(con, user, action, obj, details)
    finally:
        con.info.pop(_TRAIL_ONLY, None)
        con.close()


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    generation: int
    at: datetime


class Kept(Generic[T]):
    """Answers by key, each used while the generation it was read at is current and it is
    younger than `MAX_AGE_S`."""

    def __init__(self, changes: Changes, clock: Callable[[], datetime]) -> None:
        self._changes = changes
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry[T]] = {}

    def get(self, key: str) -> T | None:
        """The kept answer for `key`, None when there is none still good."""
        found = self._entries.get(key)
        if found is None or found.generation != self._changes.generation:
            return None
        age = (self._clock() - found.at).total_seconds()
        return found.value if 0 <= age < MAX_AGE_S else None

    def read(self, key: str, reader: Callable[[], T]) -> T:
        """The kept answer, else `reader()`'s (kept when no commit came while it read; None,
        no answer, is never kept)."""
        found = self.get(key)
        if found is not None:
            return found
        generation, at = self._changes.generation, self._clock()
        value = reader()
        with self._lock:
            self._entries.pop(key, None)  # the fresh answer replaces what was kept, or ends it
            if value is not None and self._changes.generation == generation:
                if len(self._entries) >= MAX_KEPT:
                    self._entries.clear()
                self._entries[key] = _Entry(value, generation, at)
        return value


class Bearers:
    """Who each bearer secret stands for, as `users.bearer_user` says, kept (by its digest:
    the secret itself is not held) with the secret's expiry. A secret found unknown, expired
    or revoked is not kept: it is asked about again each time."""

    def __init__(self, engine: Engine, changes: Changes, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock
        self._kept: Kept[tuple[User, str | None] | None] = Kept(changes, clock)

    def known(self, secret: str) -> User | None:
        """The user when a good answer is kept (no I/O: the event loop may ask), else None."""
        return self._live(self._kept.get(_digest(secret)))

    def user(self, secret: str) -> User | None:
        """The user behind `secret`, read from the store when no good answer is kept."""
        found = self._kept.read(
            _digest(secret), lambda: bearer_session(self._engine, secret, self._clock())
        )
        return self._live(found)

    def _live(self, found: tuple[User, str | None] | None) -> User | None:
        if found is None:
            return None
        user, expires_at = found
        return user if expires_at is None or iso(self._clock()) < expires_at else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
