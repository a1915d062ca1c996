"""The workspace audit trail: one hash-chained log of every action that changes or discloses data.

Each entry's hash covers its sequence number, time, user, action, object, details and the previous
entry's hash, so an edited, deleted or reordered entry breaks the chain from that point. An entry
is appended inside the caller's transaction: the case change and its audit entry commit together
or not at all. Appenders first lock the single `audit_head` row, so concurrent writers (several
analysts on PostgreSQL) take turns instead of racing for the same sequence number.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, func, insert, select, update

from jalur.canonical import canonical, iso, sha256_hex, utcnow
from jalur.chain import Link
from jalur.sqlstore.schema import audit_head, audit_log

#: The name the trail's seals carry (the exchange log seals as "exchange-log").
CHAIN = "workspace-audit"
_BATCH = 20_000
#: The widths of the user and object columns (`schema.audit_log`).
_USER_WIDTH, _OBJECT_WIDTH = 64, 200


class AuditError(Exception):
    """The audit trail cannot take an entry or cannot be trusted."""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user: str | None
    action: str
    object: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def content_hash(self) -> str:
        return entry_hash(
            self.seq, self.at, self.user, self.action, self.object, self.details, self.prev_hash
        )

    def link(self) -> Link:
        return Link(self.seq, self.prev_hash, self.hash, self.content_hash())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        """From an export line; a wrong type is a ValueError naming the field."""
        for name in ("at", "action", "prev_hash", "hash"):
            if not isinstance(data.get(name), str):
                raise ValueError(f"{name} must be a string")
        for name in ("user", "object"):
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ValueError(f"{name} must be a string or null")
        seq, details = data.get("seq"), data.get("details")
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError("seq must be an integer")
        if not isinstance(details, dict):
            raise ValueError("details must be an object")
        return cls(
            seq, data["at"], data.get("user"), data["action"], data.get("object"), details,
            data["prev_hash"], data["hash"],
        )  # fmt: skip


def entry_hash(
    seq: int,
    at: str,
    user: str | None,
    action: str,
    obj: str | None,
    details: Mapping[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "seq": seq,
        "at": at,
        "user": user,
        "action": action,
        "object": obj,
        "details": details,
        "prev_hash": prev_hash,
    }
    return sha256_hex(canonical(body))


_ENTRY = select(
    audit_log.c.seq,
    audit_log.c.at,
    audit_log.c.user_name,
    audit_log.c.action,
    audit_log.c.object,
    audit_log.c.details,
    audit_log.c.prev_hash,
    audit_log.c.hash,
)


def take_turn(con: Connection) -> None:
    """Wait here for the audit head's lock, which every writer takes before it commits.

    For a transaction that checks before it writes (no user yet, a name not taken, an agency
    not there): on PostgreSQL, READ COMMITTED lets two such transactions both pass the check
    and both write, and only the lock `append` takes at the end would order them. Taken
    first, the second transaction checks after the first committed, as on SQLite, where
    every transaction begins IMMEDIATE and this is a no-op (SQLite has no FOR UPDATE).
    """
    found = con.execute(
        select(audit_head.c.id).where(audit_head.c.id == 1).with_for_update()
    ).first()
    if found is None:
        raise AuditError("the audit trail's head row is missing: run `jalur audit verify`")


def append(
    con: Connection,
    user: str | None,
    action: str,
    obj: str | None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry after the newest, in the caller's transaction."""
    body = _storable(dict(details or {}))
    obj = _storable(obj)
    user = _fitted(user, _USER_WIDTH, "user_whole", body)
    obj = _fitted(obj, _OBJECT_WIDTH, "object_whole", body)
    bumped = con.execute(
        update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq + 1)
    )
    if bumped.rowcount != 1:
        raise AuditError("the audit trail's head row is missing: run `jalur audit verify`")
    seq, prev = con.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
    ).one()
    at = iso(utcnow())
    digest = entry_hash(seq, at, user, action, obj, body, prev)
    con.execute(
        insert(audit_log).values(
            seq=seq,
            at=at,
            user_name=user,
            action=action,
            object=obj,
            details=canonical(body).decode(),
            prev_hash=prev,
            hash=digest,
        )
    )
    con.execute(update(audit_head).where(audit_head.c.id == 1).values(hash=digest))
    return AuditEntry(seq, at, user, action, obj, body, prev, digest)


def _fitted(value: str | None, width: int, whole: str, body: dict[str, Any]) -> str | None:
    """`value` cut to its column's `width` and marked "…", the whole of it put in `body`
    under `whole`: a file's path (an object) or a name given with --user (a user) wider
    than the column was refused by PostgreSQL, after the work it records was done."""
    if value is None or len(value) <= width:
        return value
    body[whole] = value
    return value[: width - 1] + "…"


def _storable(value: Any) -> Any:
    """`value` with every text made storable: a file name that is not UTF-8 reaches Python as
    lone surrogates (`pay\\udce9.csv`), which neither UTF-8 JSON nor the database takes, so
    the command's work went unrecorded with a traceback. Such bytes are written out (`\\xe9`)."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate no file name makes (`\\ud800` from JSON)
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def entries(con: Connection, obj: str | None = None) -> Iterator[AuditEntry]:
    """The trail oldest first, streamed in batches (a million entries stay cheap)."""
    query = _ENTRY.order_by(audit_log.c.seq)
    if obj is not None:
        query = query.where(audit_log.c.object == obj)
    result = con.execute(query, execution_options={"yield_per": _BATCH})
    for row in result:
        yield _entry(row)


def links(con: Connection, recompute_from: int = 1) -> Iterator[Link]:
    """The chain's links oldest first; each entry's hash recomputed from entry
    `recompute_from` on. Before it only the stored hashes are read (the entry's own hash
    stands for its content): what a good seal vouches for needs its links, not its content
    hashed again, and reading three columns is a fraction of reading and hashing each entry."""
    if recompute_from > 1:
        vouched = select(audit_log.c.seq, audit_log.c.prev_hash, audit_log.c.hash).where(
            audit_log.c.seq < recompute_from
        )
        result = con.execute(vouched.order_by(audit_log.c.seq),
                             execution_options={"yield_per": _BATCH})  # fmt: skip
        for seq, prev, digest in result:
            yield Link(seq, prev, digest, digest)
    query = _ENTRY.where(audit_log.c.seq >= recompute_from).order_by(audit_log.c.seq)
    for row in con.execute(query, execution_options={"yield_per": _BATCH}):
        yield _entry(row).link()


def newest_by(
    con: Connection, users: Collection[str], obj: str | None, limit: int, offset: int
) -> tuple[int, list[AuditEntry]]:
    """How many entries `users` made (about `obj`), and one page of them, newest first.

    For a service showing an agency its own entries a page at a time: the store filters,
    counts and pages, so a page costs its own entries, not a read of the whole trail (a
    year of a busy installation is millions of entries, for every page asked for)."""
    mine: list[ColumnElement[bool]] = [audit_log.c.user_name.in_(sorted(users))]
    if obj is not None:
        mine.append(audit_log.c.object == obj)
    total = con.execute(select(func.count()).select_from(audit_log).where(*mine)).scalar_one()
    rows = con.execute(
        _ENTRY.where(*mine).order_by(audit_log.c.seq.desc()).limit(limit).offset(offset)
    )
    return int(total), [_entry(row) for row in rows]


def head(con: Connection) -> tuple[int, str] | None:
    """What the head row says the newest entry is (None when the row was deleted)."""
    row = con.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
    ).first()
    return (int(row[0]), str(row[1])) if row else None


def _entry(row: Row[Any, Any, Any, Any, Any, Any, Any, Any]) -> AuditEntry:
    seq, at, user, action, obj, details, prev, digest = row
    return AuditEntry(seq, at, user, action, obj, _details(details), prev, digest)


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"__unreadable__": text}  # hashes differently: verify names the entry
    return value if isinstance(value, dict) else {"__not_an_object__": value}
