"""The exchange log: every export, import, rejection, offer and match, hash-chained.

Egmont principles make an FIU answerable for what it passed to whom and what it received.
Each entry's hash covers the previous entry's hash and its own content, so deleting, reordering
or editing any past entry breaks the chain from that point (`verify_log` names the first
broken entry). Anchoring the newest hash elsewhere (a report, a partner) makes truncation of
the tail evident as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jalur.exchange.canonical import canonical, iso, sha256_hex, utcnow
from jalur.exchange.tables import ensure_tables
from jalur.store import Store

GENESIS = "0" * 64


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: str
    action: str
    partner: str | None
    package_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "action": self.action,
            "partner": self.partner,
            "package_id": self.package_id,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def entry_hash(
    seq: int,
    at: str,
    action: str,
    partner: str | None,
    package_id: str | None,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "seq": seq,
        "at": at,
        "action": action,
        "partner": partner,
        "package_id": package_id,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return sha256_hex(canonical(body))


def append(
    store: Store, action: str, partner: str | None, package_id: str | None, detail: dict[str, Any]
) -> LogEntry:
    """Add one entry after the newest (call inside the transaction that does the work)."""
    ensure_tables(store)
    last = store.execute("SELECT seq, hash FROM exchange_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = iso(utcnow())
    digest = entry_hash(seq, at, action, partner, package_id, detail, prev)
    store.execute(
        "INSERT INTO exchange_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, at, action, partner, package_id, json.dumps(detail, sort_keys=True), prev, digest],
    )
    return LogEntry(seq, at, action, partner, package_id, detail, prev, digest)


def read_log(store: Store) -> list[LogEntry]:
    ensure_tables(store)
    rows = store.execute("SELECT * FROM exchange_log ORDER BY seq").fetchall()
    return [LogEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7]) for r in rows]


def verify_log(entries: list[LogEntry]) -> str | None:
    """None when the chain is intact, else a sentence naming the first broken entry."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            return f"entry {expected_seq} is missing (found seq {entry.seq})"
        if entry.prev_hash != prev:
            return f"entry {entry.seq} does not follow entry {entry.seq - 1} (chain broken)"
        digest = entry_hash(
            entry.seq,
            entry.at,
            entry.action,
            entry.partner,
            entry.package_id,
            entry.detail,
            entry.prev_hash,
        )
        if digest != entry.hash:
            return f"entry {entry.seq} was altered (its hash does not match its content)"
        prev = entry.hash
    return None
