"""Batch screening of a customer file: CSV or Parquet in, hits out, streamed in chunks.

Input columns: `id`, `name` and optionally `dob`, `country`, `identifier`, `schema`. A bad row
(no id, no name, a date that is not a date…) is refused with its row number and the reason and
the others are still screened; a repeated id is counted as a duplicate. Counts balance:
read = accepted + rejected + duplicates. Memory stays bounded by the chunk size (and the set of
ids seen, for the duplicate check).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jalur.screening.features import Query
from jalur.screening.workers import screen_chunks

CHUNK_ROWS = 20_000
MAX_NAME = 1000
OPTIONAL = ("dob", "country", "identifier", "schema")
SCHEMATA = frozenset({"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel"})
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_KEPT_ERRORS = 1000

HITS_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("entity_id", pa.string()), ("list", pa.string()),
        ("source_id", pa.string()), ("score", pa.float64()), ("matched_alias", pa.string()),
        ("explanation", pa.string()),
    ]
)  # fmt: skip


class BatchInputError(ValueError):
    """The input file as a whole cannot be screened (unreadable, required columns missing)."""


@dataclass
class BatchReport:
    """What a batch run did; counts balance: read = accepted + rejected + duplicates."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    hits: int = 0
    parties_with_hits: int = 0
    errors: list[str] = field(default_factory=list)

    def reject(self, row: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(f"row {row}: {reason}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "hits": self.hits,
            "parties_with_hits": self.parties_with_hits,
            "errors": self.errors,
        }


def read_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """The input as record batches of strings, whatever its format."""
    if not path.exists():
        raise BatchInputError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS):
                yield _as_strings(batch)
            return
        options = pacsv.ReadOptions(block_size=1 << 22)
        convert = pacsv.ConvertOptions(column_types=_string_columns(path), strings_can_be_null=True)
        yield from pacsv.open_csv(path, read_options=options, convert_options=convert)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BatchInputError(f"{path}: cannot read: {exc}") from exc


def _string_columns(path: Path) -> dict[str, pa.DataType]:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        header = handle.readline().strip().lstrip("\ufeff")
    return {name.strip('"'): pa.string() for name in header.split(",")}


def _as_strings(batch: pa.RecordBatch) -> pa.RecordBatch:
    arrays = [col.cast(pa.string()) for col in batch.columns]
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def parse_rows(
    batch: pa.RecordBatch, first_row: int, report: BatchReport, seen: set[str]
) -> tuple[list[str], list[Query]]:
    """Valid rows of a batch as (ids, queries); bad and repeated rows are counted."""
    names = batch.schema.names
    missing = {"id", "name"} - set(names)
    if missing:
        raise BatchInputError(f"input lacks required column(s) {sorted(missing)}")
    columns = {
        name: batch.column(name).to_pylist() for name in ("id", "name", *OPTIONAL) if name in names
    }
    ids: list[str] = []
    queries: list[Query] = []
    for offset in range(batch.num_rows):
        row = {name: values[offset] for name, values in columns.items()}
        report.read += 1
        number = first_row + offset
        reason = row_problem(row)
        if reason is not None:
            report.reject(number, reason)
            continue
        party_id = str(row["id"]).strip()
        if party_id in seen:
            report.duplicates += 1
            continue
        seen.add(party_id)
        report.accepted += 1
        ids.append(party_id)
        queries.append(_query(row))
    return ids, queries


def row_problem(row: dict[str, Any]) -> str | None:
    """Why a row cannot be screened, or None."""
    party_id, name = row.get("id"), row.get("name")
    if party_id is None or not str(party_id).strip():
        return "empty id"
    if name is None or not any(ch.isalnum() for ch in str(name)):
        return f"id {party_id}: empty name"
    if len(str(name)) > MAX_NAME:
        return f"id {party_id}: name longer than {MAX_NAME} characters"
    dob = (row.get("dob") or "").strip()
    if dob and not _valid_date(dob):
        return f"id {party_id}: dob {dob!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    country = (row.get("country") or "").strip()
    if country and not (len(country) == 2 and country.isalpha()):
        return f"id {party_id}: country {country!r} is not an ISO 3166-1 alpha-2 code"
    schema = (row.get("schema") or "").strip()
    if schema and schema not in SCHEMATA:
        return f"id {party_id}: schema {schema!r} is not one of {sorted(SCHEMATA)}"
    return None


def _valid_date(text: str) -> bool:
    if not _DATE_RE.match(text):
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _query(row: dict[str, Any]) -> Query:
    def opt(key: str) -> str | None:
        value = (row.get(key) or "").strip()
        return value or None

    return Query(str(row["name"]), opt("dob"), opt("country"), opt("identifier"), opt("schema"))


class HitWriter:
    """Hits to CSV or Parquet (by the output's suffix), one chunk at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._writer: pq.ParquetWriter | pacsv.CSVWriter
        if path.suffix.lower() in (".parquet", ".pq"):
            self._writer = pq.ParquetWriter(path, HITS_SCHEMA)
        else:
            self._writer = pacsv.CSVWriter(path, HITS_SCHEMA)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, HITS_SCHEMA))

    def close(self) -> None:
        self._writer.close()


def screen_file(
    screen: Callable[[list[Query]], list[list[dict[str, Any]]]],
    input_path: Path,
    output: Path,
    *,
    workers: int = 1,
    on_chunk: Callable[[int], None] | None = None,
    on_accepted: Callable[[list[str], list[Query]], None] | None = None,
) -> BatchReport:
    """Screen every valid row of `input_path` and write the hits to `output`."""
    report = BatchReport()
    seen: set[str] = set()
    writer = HitWriter(output)
    try:
        chunks = _parsed_chunks(read_batches(input_path), report, seen, on_accepted)
        for ids, hit_rows, rows_read in screen_chunks(chunks, screen, workers):
            found: list[dict[str, Any]] = []
            for party_id, rows in zip(ids, hit_rows, strict=True):
                found += [{**row, "id": party_id} for row in rows]
                report.parties_with_hits += 1 if rows else 0
            report.hits += len(found)
            writer.write(found)
            if on_chunk is not None:
                on_chunk(rows_read)
    finally:
        writer.close()
    return report


def _parsed_chunks(
    batches: Iterator[pa.RecordBatch],
    report: BatchReport,
    seen: set[str],
    on_accepted: Callable[[list[str], list[Query]], None] | None,
) -> Iterator[tuple[list[str], list[Query], int]]:
    first_row = 1
    for batch in batches:
        ids, queries = parse_rows(batch, first_row, report, seen)
        first_row += batch.num_rows
        if on_accepted is not None:
            on_accepted(ids, queries)
        yield ids, queries, batch.num_rows
