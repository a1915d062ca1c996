"""Packages a hostile partner could make: genuinely signed and encrypted, any contents inside.

`build_payload` writes only the canonical schema, so an attacker would not use it; these helpers
write the zip by hand with a manifest that agrees with its envelope and whatever Parquet,
entity lines or manifest fields the test wants.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from exchange_agencies import Agency

from jalur.exchange import find_partner
from jalur.exchange.canonical import iso, sha256_hex, utcnow
from jalur.exchange.envelope import seal
from jalur.exchange.package import (
    ENTITIES_FILE,
    MANIFEST_FILE,
    PACKAGE_FORMAT,
    TRANSACTIONS_FILE,
)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def signed_parts(
    sender: Agency,
    recipient: Agency,
    *,
    parquet: bytes,
    rows: int,
    lines: bytes = b"",
    entity_count: int = 0,
    expires_days: float = 30,
    package_id: str | None = None,
) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """`sender`'s unlocked key, `recipient`'s active key, and an envelope header and manifest
    that agree with each other and with these contents: what a hostile package starts from."""
    secret = sender.identity.unlock(sender.identity.active.key_id, sender.passphrase)
    partner = find_partner(sender.store, recipient.identity.name)
    created = utcnow()
    header = {
        "kind": "package",
        "id": package_id or uuid.uuid4().hex,
        "sender": {
            "agency": sender.identity.name,
            "country": sender.identity.country,
            "key_id": secret.key_id,
        },
        "created": iso(created),
        "expires": iso(created + timedelta(days=expires_days)),
    }
    manifest = {
        "format": PACKAGE_FORMAT,
        "package_id": header["id"],
        "sender": header["sender"],
        "recipients": [{"key_id": partner.active.key_id}],
        "created": header["created"],
        "expires": header["expires"],
        "purpose": "CTF analysis",
        "classification": "RESTRICTED",
        "caveats": ["use only for the purpose stated in this manifest"],
        "contents": {
            "entities": {"file": ENTITIES_FILE, "count": entity_count, "sha256": sha256_hex(lines)},
            "transactions": {
                "file": TRANSACTIONS_FILE,
                "rows": rows,
                "sha256": sha256_hex(parquet),
            },
        },
    }
    return secret, partner.active, header, manifest


def hostile_package(
    sender: Agency,
    recipient: Agency,
    *,
    parquet: bytes,
    rows: int,
    lines: bytes = b"",
    entity_count: int = 0,
    manifest_sender: dict[str, Any] | None = None,
    expires_days: float = 30,
    package_id: str | None = None,
    manifest_values: dict[str, Any] | None = None,
) -> bytes:
    """A package that `sender` really signed, to `recipient`, holding exactly these bytes."""
    secret, to_key, header, manifest = signed_parts(
        sender, recipient, parquet=parquet, rows=rows, lines=lines, entity_count=entity_count,
        expires_days=expires_days, package_id=package_id,
    )  # fmt: skip
    manifest["sender"] = {**manifest["sender"], **(manifest_sender or {})}
    manifest.update(manifest_values or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_FILE, json.dumps(manifest))
        archive.writestr(ENTITIES_FILE, lines)
        archive.writestr(TRANSACTIONS_FILE, parquet)
    return seal(header, buffer.getvalue(), secret, [to_key])
