"""The plaintext of a package: a manifest, FtM entities (JSON lines) and payments (Parquet).

The manifest states who sends to whom, when it was made and until when it may be used, the
purpose and legal basis, the handling caveats and classification, the request it answers, and
the SHA-256 and count of each content file, so the receiver can prove what it got. The payload
is a zip so an analyst with the keys can also open it by hand.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from jalur.exchange.canonical import sha256_hex
from jalur.exchange.errors import PackageRejectedError
from jalur.model import TRANSACTION_SCHEMA, entity_from_dict

PACKAGE_FORMAT = "jalur-package/1"
ENTITIES_FILE = "entities.ftm.jsonl"
TRANSACTIONS_FILE = "transactions.parquet"
MANIFEST_FILE = "manifest.json"
#: Egmont Group Principles for Information Exchange (2013), principles 11-13 and 32-34.
DEFAULT_CAVEATS = (
    "no onward dissemination to any third party without the prior consent of the sender",
    "use only for the purpose stated in this manifest",
    "not for use as evidence in proceedings without the sender's prior consent",
)
DEFAULT_CLASSIFICATION = "RESTRICTED"
DEFAULT_LEGAL_BASIS = "Egmont Group Principles for Information Exchange between FIUs"
_MAX_PAYLOAD = 2 << 30


@dataclass(frozen=True)
class Contents:
    manifest: dict[str, Any]
    entities: list[EntityProxy]
    transactions: pa.Table


def build_payload(
    manifest: dict[str, Any], entities: list[EntityProxy], transactions: pa.Table
) -> tuple[dict[str, Any], bytes]:
    """The zip bytes and the manifest completed with the content hashes and counts."""
    lines = "".join(
        json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for e in entities
    ).encode("utf-8")
    sink = io.BytesIO()
    pq.write_table(transactions.cast(TRANSACTION_SCHEMA), sink)
    parquet = sink.getvalue()
    manifest = {
        **manifest,
        "format": PACKAGE_FORMAT,
        "contents": {
            "entities": {
                "file": ENTITIES_FILE,
                "count": len(entities),
                "sha256": sha256_hex(lines),
            },
            "transactions": {
                "file": TRANSACTIONS_FILE,
                "rows": transactions.num_rows,
                "sha256": sha256_hex(parquet),
            },
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_FILE, json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr(ENTITIES_FILE, lines)
        archive.writestr(TRANSACTIONS_FILE, parquet)
    return manifest, buffer.getvalue()


def read_payload(payload: bytes, source: str) -> Contents:
    """Open a decrypted payload; any inconsistency with its own manifest rejects the package."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            if sum(i.file_size for i in archive.infolist()) > _MAX_PAYLOAD:
                raise PackageRejectedError(source, "payload too large once unpacked")
            manifest = json.loads(archive.read(MANIFEST_FILE))
            lines = archive.read(ENTITIES_FILE)
            parquet = archive.read(TRANSACTIONS_FILE)
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageRejectedError(source, f"payload is not a jalur package: {exc}") from exc
    if manifest.get("format") != PACKAGE_FORMAT:
        raise PackageRejectedError(source, f"unknown package format {manifest.get('format')!r}")
    contents = manifest.get("contents", {})
    _check(source, "entities", lines, contents.get("entities", {}))
    _check(source, "transactions", parquet, contents.get("transactions", {}))
    entities = _entities(source, lines)
    table = pq.read_table(io.BytesIO(parquet))
    if len(entities) != contents["entities"].get("count") or table.num_rows != contents[
        "transactions"
    ].get("rows"):
        raise PackageRejectedError(source, "content counts differ from the manifest")
    return Contents(manifest, entities, table)


def _check(source: str, what: str, data: bytes, stated: dict[str, Any]) -> None:
    if sha256_hex(data) != stated.get("sha256"):
        raise PackageRejectedError(source, f"{what} do not match the manifest's SHA-256")


def _entities(source: str, lines: bytes) -> list[EntityProxy]:
    entities: list[EntityProxy] = []
    for number, line in enumerate(lines.decode("utf-8").splitlines(), start=1):
        try:
            entities.append(entity_from_dict(json.loads(line)))
        except (json.JSONDecodeError, InvalidData, TypeError, ValueError, AttributeError) as exc:
            raise PackageRejectedError(source, f"{ENTITIES_FILE} line {number}: {exc}") from exc
    return entities
