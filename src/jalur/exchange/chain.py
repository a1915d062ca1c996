"""The exchange log's seals in the DuckDB workspace; the chain itself is `jalur.chain`.

The generic hash chain and seals moved to the core module `jalur.chain` so that the SQL audit
trail (cases, users) uses the same definition without importing exchange. What stays here is
where the exchange log keeps its seals: the `audit_seals` table of the analytical store.
"""

from __future__ import annotations

from pathlib import Path

from jalur.chain import (
    GENESIS,
    SEAL_CONTEXT,
    ChainReport,
    Link,
    Seal,
    SealKey,
    append_seal_file,
    file_seals,
    first_break,
    make_seal,
    verify_chain,
)
from jalur.store import Store

SEALS_DDL = [
    """CREATE TABLE IF NOT EXISTS audit_seals (
        chain VARCHAR NOT NULL,
        seq BIGINT NOT NULL,
        hash VARCHAR NOT NULL,
        sealed_at VARCHAR NOT NULL,
        key_id VARCHAR NOT NULL,
        signature VARCHAR NOT NULL
    )"""
]


def record_seal(store: Store, seals_file: Path, seal: Seal) -> None:
    """Keep a seal twice: appended to the file outside the database first, then in the table."""
    append_seal_file(seals_file, seal)
    store.ensure("audit-seals", SEALS_DDL)
    store.execute(
        "INSERT INTO audit_seals VALUES (?, ?, ?, ?, ?, ?)",
        [seal.chain, seal.seq, seal.hash, seal.at, seal.key_id, seal.signature],
    )


def database_seals(store: Store, chain: str) -> list[Seal]:
    store.ensure("audit-seals", SEALS_DDL)
    rows = store.execute(
        "SELECT chain, seq, hash, sealed_at, key_id, signature FROM audit_seals "
        "WHERE chain = ? ORDER BY seq, sealed_at",
        [chain],
    ).fetchall()
    return [Seal(*row) for row in rows]


__all__ = [
    "GENESIS",
    "SEALS_DDL",
    "SEAL_CONTEXT",
    "ChainReport",
    "Link",
    "Seal",
    "SealKey",
    "append_seal_file",
    "database_seals",
    "file_seals",
    "first_break",
    "make_seal",
    "record_seal",
    "verify_chain",
]
