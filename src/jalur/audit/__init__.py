"""The workspace audit trail: hash-chained entries in the SQL store, sealed with the agency key.

Every action that changes or discloses data calls `record` (or `append` inside its own
transaction). `check_trail` verifies hashes, the head and every seal in one streaming pass;
`seal_trail` signs the head; `export_trail` / `verify_export` let someone else check a copy with
only the agency's public card. A core module: it imports no capability, and keys and signing
come from the caller (the agency identity lives in `exchange`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine

from jalur.audit.cli import acting_user, record_cli
from jalur.audit.export import FORMAT, export_trail, read_header, verify_export
from jalur.audit.seals import TrailReport, check_trail, database_seals, seal_trail
from jalur.audit.trail import (
    CHAIN,
    AuditEntry,
    AuditError,
    append,
    entries,
    entry_hash,
    head,
    links,
    newest_by,
    take_turn,
)


def record(
    engine: Engine,
    user: str | None,
    action: str,
    obj: str | None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in a transaction of its own (for actions whose data lives elsewhere:
    list loads, screening and monitoring runs in DuckDB, exchange packages)."""
    with engine.begin() as con:
        return append(con, user, action, obj, details)


__all__ = [
    "CHAIN",
    "FORMAT",
    "AuditEntry",
    "AuditError",
    "TrailReport",
    "acting_user",
    "append",
    "check_trail",
    "database_seals",
    "entries",
    "entry_hash",
    "export_trail",
    "head",
    "links",
    "newest_by",
    "read_header",
    "record",
    "record_cli",
    "seal_trail",
    "take_turn",
    "verify_export",
]
