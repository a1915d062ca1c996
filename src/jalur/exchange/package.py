"""The plaintext of a package: a manifest, FtM entities (JSON lines) and payments (Parquet).

The manifest states who sends to whom, when it was made and until when it may be used, the
purpose and legal basis, the handling caveats and classification, the request it answers, and
the SHA-256 and count of each content file, so the receiver can prove what it got. The payload
is a zip so an analyst with the keys can also open it by hand.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from followthemoney import model as ftm_model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.value import string_list

from jalur.exchange.canonical import loads, sha256_hex
from jalur.exchange.errors import PackageRejectedError
from jalur.exchange.limits import ExchangeLimits
from jalur.inputs import ZIP_TAIL, zip_directory
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
#: A package's zip holds three members and an offer's two; a partner's zip with more than this
#: many, or a central directory larger than this many bytes, is refused from its end record
#: alone: `zipfile` parses the whole directory on opening (200,000 members: 1.85 s, 150 MB).
MAX_ZIP_MEMBERS = 16
MAX_CENTRAL_DIRECTORY = 64 << 10
DEFAULT_CLASSIFICATION = "RESTRICTED"
DEFAULT_LEGAL_BASIS = "Egmont Group Principles for Information Exchange between FIUs"
_BATCH_ROWS = 65_536


#: The longest a dropped value is shown or kept (a partner's value can be megabytes).
MAX_SHOWN_VALUE = 200
#: An entity's fields that FtM and the importer keep; any other is reported as dropped.
_KEPT_FIELDS = frozenset({"id", "schema", "properties", "exchange"})


@dataclass(frozen=True)
class Dropped:
    """One value of a partner's entity that FtM does not keep, and why."""

    line: int
    entity_id: str
    property: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "entity_id": self.entity_id,
            "property": self.property,
            "value": self.value,
            "reason": self.reason,
        }

    def describe(self) -> str:
        """One line for a terminal: the partner's property name and value with control and
        formatting characters escaped (a name holding `\x1b[2J` or U+202E is data)."""
        name = self.property if self.property.isprintable() else ascii(self.property)
        return (
            f"{ENTITIES_FILE} line {self.line}: entity {self.entity_id[:60]}: {name[:60]} "
            f"{self.value!r} dropped ({self.reason})"
        )


@dataclass(frozen=True)
class Contents:
    manifest: dict[str, Any]
    entities: list[EntityProxy]
    transactions: pa.Table
    #: What FtM did not keep of the entities (the entities themselves are kept).
    dropped: tuple[Dropped, ...] = ()


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


def read_payload(payload: bytes, source: str, limits: ExchangeLimits | None = None) -> Contents:
    """Open a decrypted payload; any inconsistency with its own manifest rejects the package.

    Everything inside is a partner's data, however genuine the signature: the payments must fit
    the canonical payment schema (`payment_table`) and every size is bounded while decoding.
    """
    limits = limits or ExchangeLimits()
    try:
        check_directory(payload)
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            if sum(i.file_size for i in archive.infolist()) > limits.max_payload_bytes:
                raise PackageRejectedError(source, "payload too large once unpacked")
            check_members(archive, (MANIFEST_FILE, ENTITIES_FILE, TRANSACTIONS_FILE))
            manifest = loads(read_member(archive, MANIFEST_FILE))
            lines = read_member(archive, ENTITIES_FILE)
            parquet = read_member(archive, TRANSACTIONS_FILE)
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageRejectedError(source, f"payload is not a jalur package: {exc}") from exc
    if not isinstance(manifest, dict):
        raise PackageRejectedError(source, "the manifest is not a JSON object")
    if manifest.get("format") != PACKAGE_FORMAT:
        raise PackageRejectedError(
            source,
            f"package format {manifest.get('format')!r:.60} is not {PACKAGE_FORMAT!r}: "
            "this version reads only its own; ask the partner to send it in that format",
        )
    contents = manifest.get("contents")
    if not isinstance(contents, dict) or not all(
        isinstance(contents.get(k), dict) for k in ("entities", "transactions")
    ):
        raise PackageRejectedError(source, "the manifest does not describe its contents")
    _check(source, "entities", lines, contents["entities"])
    _check(source, "transactions", parquet, contents["transactions"])
    entities, dropped = _entities(source, lines, limits.max_entities)
    table = payment_table(parquet, source, limits)
    if len(entities) != contents["entities"].get("count") or table.num_rows != contents[
        "transactions"
    ].get("rows"):
        raise PackageRejectedError(source, "content counts differ from the manifest")
    return Contents(manifest, entities, table, tuple(dropped))


def check_directory(payload: bytes) -> None:
    """Refuse (`BadZipFile`) a zip whose central directory is larger than any of ours before
    `zipfile` parses it: the member count and directory size stated by its end records.

    Both the count and the size are bounded (`jalur.inputs.zip_directory` says why).
    """
    directory = zip_directory(payload[-ZIP_TAIL:])
    if directory is None:
        raise zipfile.BadZipFile("no zip end record: not a zip file")
    members, size = directory
    if members > MAX_ZIP_MEMBERS:
        raise zipfile.BadZipFile(
            f"its central directory lists {members} members, more than {MAX_ZIP_MEMBERS} "
            "(a package holds three)"
        )
    if size > MAX_CENTRAL_DIRECTORY:
        raise zipfile.BadZipFile(
            f"it has a central directory of {size} bytes, more than {MAX_CENTRAL_DIRECTORY} "
            "(a package's three members take a few hundred)"
        )


def check_members(archive: zipfile.ZipFile, expected: tuple[str, ...]) -> None:
    """The zip holds exactly `expected`, each once and a plain file; else a `BadZipFile`.

    Nothing is ever extracted, but a member we do not read is content nobody checks (`../x`,
    `/etc/…`, a link: what `unzip` would write for an analyst opening it by hand), and a
    member written twice shows `unzip` the first copy while we read the last.
    """
    names = [info.filename for info in archive.infolist()]
    unknown = [n for n in names if n not in expected]
    twice = sorted({n for n in names if names.count(n) > 1})
    odd = [
        i.filename
        for i in archive.infolist()
        if i.is_dir() or stat.S_IFMT(i.external_attr >> 16) not in (0, stat.S_IFREG)
    ]
    problems = [
        *(f"member {n[:60]!r} is none of {', '.join(expected)}" for n in unknown[:3]),
        *(f"member {n!r} twice" for n in twice),
        *(f"member {n[:60]!r} is not a plain file" for n in odd[:3]),
        *filter(None, (_unreadable(i) for i in archive.infolist())),
    ]
    if problems:
        raise zipfile.BadZipFile("; ".join(problems))


#: How a member may be compressed: what `zipfile` reads (jalur writes deflate).
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
#: General-purpose flags of what `zipfile` cannot read: encryption (bits 0 and 6, the latter
#: "strong"), compressed patched data (bit 5).
_ENCRYPTED, _UNREAD_FLAGS = 0x1, 0x60


def _unreadable(info: zipfile.ZipInfo) -> str | None:
    """Why `zipfile` cannot read member `info` (None: it can). An encrypted member raised
    `RuntimeError` and an unknown method `NotImplementedError`, not `BadZipFile`: a signed
    package holding one ended the import in a traceback, unlogged."""
    name = repr(info.filename[:60])
    if info.flag_bits & _ENCRYPTED:
        return f"member {name} is encrypted (a package is sealed whole, never its members)"
    if info.compress_type not in _METHODS:
        return (
            f"member {name} uses compression method {info.compress_type}, which this "
            "version does not read (jalur writes deflate)"
        )
    if info.flag_bits & _UNREAD_FLAGS:
        flags = f"{info.flag_bits:#x}"
        return f"member {name} uses zip features this version does not read (flags {flags})"
    return None


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Member `name`'s bytes, or a `BadZipFile` naming it: a deflate stream cut short or
    scrambled raised `zlib.error` or `EOFError`, which no reader caught."""
    try:
        return archive.read(name)
    except (zlib.error, EOFError) as exc:
        raise zipfile.BadZipFile(f"member {name!r} cannot be decompressed: {exc}") from exc


def payment_table(parquet: bytes, source: str, limits: ExchangeLimits) -> pa.Table:
    """A partner's Parquet payments as a table of exactly `TRANSACTION_SCHEMA`, or a rejection.

    Column names are data: one that the canonical schema does not know is refused (it could
    only come from a sender that is not jalur, or a hostile one), so no name from the file
    ever reaches SQL. Values are cast to the canonical types; rows and decoded bytes are
    counted batch by batch so a tiny file that decodes to gigabytes stops early.
    """
    where = f"{TRANSACTIONS_FILE}"
    try:
        parquet_file = pq.ParquetFile(io.BytesIO(parquet))
        names = list(parquet_file.schema_arrow.names)
        stated_rows = parquet_file.metadata.num_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PackageRejectedError(source, f"{where}: not a readable Parquet file: {exc}") from exc
    _check_columns(source, names)
    if stated_rows > limits.max_payments:
        raise PackageRejectedError(
            source, f"{where}: {stated_rows} payments, more than the limit of {limits.max_payments}"
        )
    batches: list[pa.RecordBatch] = []
    rows = size = 0
    try:
        for batch in parquet_file.iter_batches(batch_size=_BATCH_ROWS):
            rows += batch.num_rows
            size += batch.nbytes
            if rows > limits.max_payments or size > limits.max_payment_bytes:
                raise PackageRejectedError(
                    source,
                    f"{where}: decodes to more than {limits.max_payments} payments or "
                    f"{limits.max_payment_bytes} bytes (the package is refused whole)",
                )
            batches.append(_canonical_batch(source, batch, rows - batch.num_rows))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PackageRejectedError(source, f"{where}: unreadable payments: {exc}") from exc
    table = pa.Table.from_batches(batches, schema=TRANSACTION_SCHEMA)
    _check_unique_ids(source, table)
    return table


def _check_unique_ids(source: str, table: pa.Table) -> None:
    """One row per payment: our payment table is unique on `tx_id`, so a package that repeats
    one is not of our schema (it was stored twice, and counted twice wherever it is shown)."""
    ids = table.column("tx_id")
    if len(pc.unique(ids)) == table.num_rows:
        return
    first: dict[str, int] = {}
    for row, tx_id in enumerate(ids.to_pylist(), start=1):
        if tx_id in first:
            raise PackageRejectedError(
                source,
                f"{TRANSACTIONS_FILE} row {row}: payment {tx_id[:60]!r} is also row {first[tx_id]}",
            )
        first[tx_id] = row


def _check_columns(source: str, names: list[str]) -> None:
    known = set(TRANSACTION_SCHEMA.names)
    unknown = [n for n in names if n not in known]
    if unknown:
        shown = ", ".join(repr(n[:60]) for n in unknown[:5])
        raise PackageRejectedError(
            source,
            f"{TRANSACTIONS_FILE}: {len(unknown)} column(s) not in the canonical payment schema: "
            f"{shown}",
        )
    if len(set(names)) != len(names):
        raise PackageRejectedError(source, f"{TRANSACTIONS_FILE}: a column appears twice")
    missing = [f.name for f in TRANSACTION_SCHEMA if not f.nullable and f.name not in names]
    if missing:
        raise PackageRejectedError(
            source, f"{TRANSACTIONS_FILE}: required column(s) missing: {', '.join(missing)}"
        )


def _canonical_batch(source: str, batch: pa.RecordBatch, offset: int) -> pa.RecordBatch:
    """Cast each column to its canonical type; absent optional columns become nulls."""
    columns = []
    for spec in TRANSACTION_SCHEMA:
        index = batch.schema.get_field_index(spec.name)
        if index < 0:
            columns.append(pa.nulls(batch.num_rows, spec.type))
            continue
        try:
            column = batch.column(index).cast(spec.type, safe=True)
        except (pa.ArrowException, ValueError) as exc:
            raise PackageRejectedError(
                source,
                f"{TRANSACTIONS_FILE}: column {spec.name} is not {spec.type} "
                f"({batch.schema.field(index).type}): {exc}",
            ) from exc
        if not spec.nullable and column.null_count:
            row = offset + next(i for i, v in enumerate(column.is_null().to_pylist()) if v)
            raise PackageRejectedError(
                source, f"{TRANSACTIONS_FILE} row {row + 1}: {spec.name} is empty"
            )
        if spec.name in _AMOUNTS:
            _check_amounts(source, spec.name, column, offset)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=TRANSACTION_SCHEMA)


#: Money columns: `tx load` refuses a payment whose amount is not finite or is negative, so no
#: payment of ours holds one, and a partner's that does is not one of our payments either.
_AMOUNTS = ("amount", "amount_reporting", "amount_received")


def _check_amounts(source: str, name: str, column: pa.Array, offset: int) -> None:
    for problem, bad in (
        ("is not a finite amount", pc.invert(pc.is_finite(column))),
        ("is negative", pc.less(column, 0)),
    ):
        if pc.any(bad).as_py():
            row = offset + bad.to_pylist().index(True)
            raise PackageRejectedError(
                source,
                f"{TRANSACTIONS_FILE} row {row + 1}: {name} {problem} ({column[row - offset]})",
            )


def _check(source: str, what: str, data: bytes, stated: dict[str, Any]) -> None:
    if sha256_hex(data) != stated.get("sha256"):
        raise PackageRejectedError(source, f"{what} do not match the manifest's SHA-256")


def _entities(source: str, lines: bytes, limit: int) -> tuple[list[EntityProxy], list[Dropped]]:
    """One entity per `\\n`-ended line, as `build_payload` writes them, and at most `limit`.

    Lines are split on `\\n` only and counted before any is decoded: `str.splitlines` also
    splits on `\\r`, form feeds and U+2028, so a package joined by those once counted no
    newline and still decoded every entity, past the bound.
    """
    rows = lines.split(b"\n")
    if rows and not rows[-1]:
        rows.pop()
    if len(rows) > limit:
        raise PackageRejectedError(source, f"{ENTITIES_FILE}: more than {limit} entities")
    entities: list[EntityProxy] = []
    dropped: list[Dropped] = []
    for number, line in enumerate(rows, start=1):
        try:
            data = loads(line.decode("utf-8"))
            _check_schema(data)
            entity = entity_from_dict(data)
            dropped += dropped_values(number, data, entity)
        except (json.JSONDecodeError, InvalidData, TypeError, ValueError, AttributeError) as exc:
            raise PackageRejectedError(source, f"{ENTITIES_FILE} line {number}: {exc}") from exc
        entities.append(entity)
    return entities, dropped


def _check_schema(data: object) -> None:
    """An entity is a JSON object naming an FtM schema as text (or a `ValueError`).

    FtM's reader takes whatever `schema` holds: a list or an object went through when the
    entity had no properties, and the import failed later in a traceback; an unknown name was
    refused as "No schema for entity." without the name."""
    if not isinstance(data, dict):
        raise ValueError(f"an entity is a JSON object, not {type(data).__name__}")
    schema = data.get("schema")
    if not isinstance(schema, str) or ftm_model.get(schema) is None:
        shown = repr(schema[:60] if isinstance(schema, str) else schema)[:80]
        raise ValueError(f"schema {shown} is not a FollowTheMoney schema")


def dropped_values(line: int, data: dict[str, Any], entity: EntityProxy) -> list[Dropped]:
    """Every value of the entity's JSON that `entity` (FtM's reading of it) does not hold.

    FtM reads without a word: a property the schema does not have, a reverse (stub) property,
    a value that is not text or does not clean as its type, values past its size limit, and
    fields beside `id`, `schema` and `properties` (the importer keeps only its own provenance).
    Empty values hold nothing and are not counted.
    """
    found: list[Dropped] = []

    def drop(name: str, value: object, reason: str) -> None:
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        found.append(Dropped(line, str(entity.id), name, shown[:MAX_SHOWN_VALUE], reason))

    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        drop("properties", properties, "not an object of property values")
        properties = {}
    for name, values in properties.items():
        for raw in values if isinstance(values, list) else [values]:
            reason = _why_dropped(entity, str(name), raw)
            if reason:
                drop(str(name), raw, reason)
    for name, value in data.items():
        if name not in _KEPT_FIELDS:
            drop(name, value, "a field beside id, schema and properties: not kept")
    return found


def _why_dropped(entity: EntityProxy, name: str, raw: object) -> str | None:
    texts = string_list([raw], sanitize=True)
    if not texts:
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        return None if empty else "not text"
    prop = entity.schema.properties.get(name)
    if prop is None:
        return f"not a property of {entity.schema.name}"
    if prop.stub:
        return f"a reverse property of {entity.schema.name}: set by the entity that points here"
    cleaned = prop.type.clean_text(texts[0], format=prop.format, proxy=entity)
    if cleaned is None:
        return f"not a valid {prop.type.name}"
    if cleaned not in entity.get(prop, quiet=True):
        return f"past FtM's size limit for the {prop.type.name} values of one entity"
    return None
