"""The exchange log: every export, import, rejection, offer and match, hash-chained.

Egmont principles make an FIU answerable for what it passed to whom and what it received.
Each entry's hash covers the previous entry's hash and its own content, so deleting, reordering
or editing any past entry breaks the chain from that point (`verify_log` names the first
broken entry). Anchoring the newest hash elsewhere (a report, a partner) makes truncation of
the tail evident as well.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jalur.exchange.canonical import canonical, iso, sha256_hex, utcnow
from jalur.exchange.chain import (
    GENESIS,
    SEALS_DDL,
    ChainReport,
    Link,
    Seal,
    SealKey,
    database_seals,
    file_seals,
    first_break,
    make_seal,
    record_seal,
    verify_chain,
)
from jalur.exchange.errors import ExchangeError, ImportFailedError
from jalur.exchange.identity import Identity
from jalur.exchange.tables import ensure_tables
from jalur.store import Store

#: The name this log's seals carry (the workspace-wide audit log will seal under its own name).
CHAIN = "exchange-log"


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
        return asdict(self)


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


def links(entries: list[LogEntry]) -> list[Link]:
    """The entries as the generic chain sees them (stored and recomputed hashes)."""
    return [
        Link(
            e.seq,
            e.prev_hash,
            e.hash,
            entry_hash(e.seq, e.at, e.action, e.partner, e.package_id, e.detail, e.prev_hash),
        )
        for e in entries
    ]


def verify_log(entries: list[LogEntry]) -> str | None:
    """None when the hash chain is intact, else a sentence naming the first broken entry.

    Hashes only: `check_log` also checks the seals, which is what catches a recomputed chain.
    """
    return first_break(links(entries))


def seal_keys(identity: Identity | None) -> list[SealKey]:
    """Every key generation of this agency may have sealed (rotation keeps the old public keys);
    a revoked one only before its revocation."""
    if identity is None:
        return []
    return [SealKey(k.key_id, k.sign_public, k.revoked_at) for k in identity.keys]


def check_log(store: Store, identity: Identity | None, seals_file: Path) -> ChainReport:
    """Hashes, every seal (database and file) against the chain and the agency's keys."""
    in_file, problems = file_seals(seals_file, CHAIN)
    return verify_chain(
        CHAIN,
        links(read_log(store)),
        database_seals(store, CHAIN),
        in_file,
        seal_keys(identity),
        problems,
    )


def seal_head(store: Store, identity: Identity, passphrase: str, seals_file: Path) -> Seal | None:
    """Sign the newest entry with the active key; None when nothing is new since the last seal.

    Refuses to seal a chain that does not verify: a seal would vouch for the tampering.
    """
    report = check_log(store, identity, seals_file)
    if not report.intact:
        raise ExchangeError(f"the exchange log is not sealed: {report.problems[0]}")
    if report.head is None or report.unsealed == 0:
        return None
    secret = identity.unlock(identity.active.key_id, passphrase)
    seal = make_seal(CHAIN, report.entries, report.head, secret.key_id, secret.sign_bytes)
    record_seal(store, seals_file, seal)
    return seal


def log_failed_import(store: Store, failure: ImportFailedError) -> None:
    """Write a failed import's `import-failed` entry again, after the caller's own transaction
    (the command's, the service's: the import and its marking commit together) rolled it back
    with the rest — else the log would not say that a package was tried and failed."""
    append(store, "import-failed", failure.partner, failure.package_id, failure.detail)


def ensure_log_tables(store: Store) -> None:
    """Create the exchange's tables and the seals of its log now (a server does it at start, so
    that a request reading the log inside its snapshot finds them: a table created meanwhile on
    another connection is not in that snapshot)."""
    ensure_tables(store)
    store.ensure("audit-seals", SEALS_DDL)
