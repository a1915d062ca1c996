"""Any CSV or Parquet table with a column-mapping file (and jalur's own canonical files).

The mapping is data the user writes once per source system:

    columns:              # canonical field: source column
      tx_id: TxnRef
      timestamp: BookingDate
      orig_account: FromAcct
      amount: Amount
    constants:            # canonical field: value for every row
      currency: IDR
    timestamp_format: "%d/%m/%Y %H:%M"   # or a list, tried in order
    timezone: Asia/Jakarta  # of times written without an offset (else UTC)
    decimal_comma: true
    minor_units: false    # amounts finer than their currency (a research set's) load as written
    delimiter: ";"
    encoding: cp1251
    header_line: 6        # the header's line, under an export's preamble (default 1)
    statement:            # one account's statement: its account on one side (readers/statement.py)
      account: "0987654321"
      counterparty: {account: CounterAcct, name: CounterName}
      indicator: DC       # or debit_amount + credit_amount, or signed amounts

Without a mapping the source must use the canonical column names (generated data does).
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from jalur.inputs import file_problem
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, RawChunk, Source, column_name_problem
from jalur.transactions.readers.csvfile import header_of, read_csv_chunks, trimmed
from jalur.transactions.readers.statement import (
    FOOTER_PARAMS,
    PARTY,
    StatementFields,
    footer_sql,
    statement_fields,
)
from jalur.transactions.schema import COLUMNS

_CONST = "__const_"


class _MappingYaml(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no stubs here
    """YAML as a mapping is read: only `true` and `false` are true and false (YAML 1.2).

    PyYAML reads YAML 1.1, where `No`, `yes`, `on` and `off` are booleans: the column `No`
    (Indonesian *nomor*, the row number a bank export leads with) was `False`, and the load
    stopped on `columns.tx_id must name a column, not False`; the constant country `NO`
    (Norway) was `False` too."""


_MappingYaml.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MappingYaml.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
#: The words a mapping's switches (`decimal_comma`, `minor_units`) are also read from, as
#: YAML 1.1 read them before (`decimal_comma: yes` keeps working).
_SWITCH_WORDS = {"yes": True, "on": True, "y": True, "no": False, "off": False, "n": False}


def read_mapping(path: Path) -> dict[str, Any]:
    """The mapping file as a dict (YAML, or TOML when the name ends in .toml)."""
    if problem := file_problem(path):
        raise TransactionLoadError(str(path), "mapping", problem)
    try:
        text = path.read_text(encoding="utf-8")
        toml = path.suffix == ".toml"
        data = tomllib.loads(text) if toml else yaml.load(text, _MappingYaml)  # a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise TransactionLoadError(str(path), "mapping", str(exc)) from exc
    if not isinstance(data, dict):
        raise TransactionLoadError(str(path), "mapping", "must be a table of settings")
    for section in ("columns", "constants"):
        if not isinstance(data.get(section) or {}, dict):
            raise TransactionLoadError(
                str(path), "mapping", f"{section!r} must be a table of canonical field: value"
            )
    for name, column in (data.get("columns") or {}).items():
        if not isinstance(column, str):
            raise TransactionLoadError(
                str(path), "mapping", f"columns.{name} must name a column, not {column!r}"
            )
        if problem := column_name_problem(column):
            raise TransactionLoadError(str(path), "mapping", f"columns.{name}: {problem}")
    if "timezone" in data:
        _check_zone(str(path), data["timezone"])
    _check_settings(str(path), data)
    for switch in ("decimal_comma", "minor_units"):
        if isinstance(data.get(switch), str) and data[switch].lower() in _SWITCH_WORDS:
            data[switch] = _SWITCH_WORDS[data[switch].lower()]
        if not isinstance(data.get(switch, False), bool):
            raise TransactionLoadError(
                str(path), "mapping", f"{switch}: {data[switch]!r} is not true or false"
            )
    unknown = set(data.get("columns") or {}) | set(data.get("constants") or {})
    unknown -= set(COLUMNS)
    if unknown:
        raise TransactionLoadError(
            str(path), "mapping", f"unknown canonical fields {sorted(unknown)}"
        )
    return data


def _check_settings(source: str, data: dict[str, Any]) -> None:
    """A delimiter is one character, an encoding a codec's name and a constant one value:
    a wrong delimiter ended the load in a traceback, and a list or an empty constant was
    pasted into every record as its Python text (`['RUB']`, `None`)."""
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise TransactionLoadError(
            source, "mapping", f"delimiter: {delimiter!r} is not one character"
        )
    line = data.get("header_line", 1)
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise TransactionLoadError(source, "mapping", f"header_line: {line!r} is not a line number")
    encoding = data.get("encoding", "utf-8")
    if not isinstance(encoding, str):
        raise TransactionLoadError(source, "mapping", f"encoding: {encoding!r} is not a codec name")
    for name, value in (data.get("constants") or {}).items():
        if not isinstance(value, str | int | float | bool):
            raise TransactionLoadError(
                source, "mapping", f"constants.{name}: {value!r} is not one value"
            )


def _check_zone(source: str, zone: object) -> None:
    """A mapping's `timezone:` must be an IANA zone name (`Asia/Jakarta`): a misspelt one
    would otherwise move every time of the file, or end the load inside the SQL."""
    try:
        if not isinstance(zone, str):
            raise ValueError(zone)
        zoneinfo.ZoneInfo(zone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise TransactionLoadError(
            source, "mapping", f"timezone: {zone!r} is not an IANA time zone (Asia/Jakarta, UTC)"
        ) from None


def _field_map(mapping: dict[str, Any], available: list[str], source: str) -> FieldMap:
    if mapping.get("columns"):
        mapping = {
            **mapping,
            "columns": {k: _in_header(v, available) for k, v in mapping["columns"].items()},
        }
    columns: dict[str, str] = dict(mapping.get("columns") or {c: c for c in COLUMNS})
    statement = _statement(mapping, source)
    wanted = [*(columns.values() if "columns" in mapping else ())]
    missing = [c for c in [*wanted, *(statement.reads if statement else ())] if c not in available]
    if missing:
        raise TransactionLoadError(
            source,
            "header",
            f"mapped columns not in file: {missing} (the file's columns: {available[:40]})",
        )
    fields: dict[str, Source] = {
        name: Col(col) for name, col in columns.items() if col in available
    }
    for name in mapping.get("constants") or {}:
        fields[name] = Col(_CONST + name)
    if statement:  # its sides replace the file's own (canonical) party columns
        fields = {k: v for k, v in fields.items() if not _is_party(k)} | statement.fields
    footer = statement.footer(available) if statement else _footer(mapping, available)
    for required in ("timestamp", "amount", "currency"):
        if required not in fields:
            raise TransactionLoadError(
                source, "header", f"no column for {required!r}{_separator_hint(available)}"
            )
    return FieldMap(
        fields,
        id_prefix=str(mapping.get("id_prefix", "tx")),
        timestamp_formats=_timestamp_formats(mapping.get("timestamp_format"), source),
        decimal_comma=bool(mapping.get("decimal_comma", False)),
        timezone=str(mapping.get("timezone", "UTC")),
        minor_units=mapping.get("minor_units", True),
        params=statement.params if statement else (FOOTER_PARAMS if footer else {}),
        reject=statement.reject if statement else None,
        reads=statement.reads if statement else (),
        footer=footer,
    )


def _in_header(column: str, available: list[str]) -> str:
    """The header's name for a mapped column: itself, else the one header name equal to it
    but for case and surrounding spaces (`TANGGAL ` for `Tanggal`: a bank's next export
    version changes its header's case, and the whole load stopped on `mapped columns not in
    file`). Two such names, or none, leave it as written (the load names it missing)."""
    if column in available:
        return column
    key = column.strip().casefold()
    alike = [name for name in available if name.strip().casefold() == key]
    return alike[0] if len(alike) == 1 else column


def _footer(mapping: dict[str, Any], available: list[str]) -> str | None:
    """SQL true on a mapped export's balance or total line (`TOTAL`, `Jumlah`… with no payer
    or payee in it: `statement.footer_sql`); None for a file in jalur's own columns."""
    columns: dict[str, str] = mapping.get("columns") or {}
    parties = [
        column
        for name, column in columns.items()
        if _is_party(name) and name.partition("_")[2] in ("account", "name", "identifier")
    ]
    return footer_sql(columns.values(), parties, available) if columns else None


def _timestamp_formats(formats: object, source: str) -> tuple[str, ...]:
    """A mapping's `timestamp_format`: one strptime format or a list of them, tried in order
    (`["%d/%m/%y", "%d/%m/%Y"]`: two-digit years first, as `%Y` reads `26` as the year 26).
    A list used to be read as its Python text, and every time of the file was then bad."""
    if formats is None:
        return ()
    listed = [formats] if isinstance(formats, str) else formats
    if not isinstance(listed, list) or not listed or not all(isinstance(f, str) for f in listed):
        raise TransactionLoadError(
            source,
            "mapping",
            f'timestamp_format: {formats!r} is neither a format ("%d/%m/%Y") nor a list of formats',
        )
    return tuple(listed)


def _is_party(name: str) -> bool:
    """`name` is an `orig_*` or `bene_*` field a statement sets (`orig_account`, `bene_name`)."""
    side, _, field = name.partition("_")
    return side in ("orig", "bene") and field in PARTY


def _statement(mapping: dict[str, Any], source: str) -> StatementFields | None:
    """The fields of a mapping's `statement:` (one account's statement), or None. Its own
    account and the counterparty fill `orig_*` and `bene_*` by each line's direction, so a
    mapping that also names such a field elsewhere is refused rather than half-overridden."""
    if "statement" not in mapping:
        return None
    columns: dict[str, str] = dict(mapping.get("columns") or {c: c for c in COLUMNS})
    given = [*(mapping.get("columns") or {}), *(mapping.get("constants") or {})]
    taken = sorted(name for name in given if _is_party(name))
    if taken:
        raise TransactionLoadError(
            source,
            "mapping",
            "statement: sets the orig_* and bene_* fields; name the counterparty's columns "
            f"under statement.counterparty, not {', '.join(f'columns.{n}' for n in taken)}",
        )
    return statement_fields(mapping["statement"], columns, source)


def _separator_hint(available: list[str]) -> str:
    """A header read as one column that another separator would split: say which, and how.

    Spreadsheets in comma-decimal locales save CSV with ';'; the canonical columns are then
    all there, only unseen.
    """
    if len(available) != 1:
        return f" (columns found: {available[:20]})"
    for separator, written in ((";", ";"), ("\t", "\\t"), ("|", "|")):
        if separator in available[0]:
            return (
                f" (the header is one column, separated by {written!r}: give a mapping with"
                f' `delimiter: "{written}"`)'
            )
    return f" (columns found: {available})"


def _with_constants(chunks: Iterator[RawChunk], constants: dict[str, Any]) -> Iterator[RawChunk]:
    for chunk in chunks:
        table = chunk.table
        for name, value in constants.items():
            table = table.append_column(
                _CONST + name, pa.repeat(pa.scalar(str(value)), table.num_rows)
            )
        yield RawChunk(table, chunk.rejected)


def open_csv(path: Path, options: LoadOptions) -> list[Part]:
    mapping = read_mapping(options.mapping) if options.mapping else {}
    delimiter = options.delimiter or mapping.get("delimiter") or ","
    encoding = options.encoding or mapping.get("encoding")
    header_line = mapping.get("header_line", 1)
    names = header_of(path, delimiter, encoding, header_line)
    fmap = _field_map(mapping, names, str(path))

    def chunks() -> Iterator[RawChunk]:
        raw = read_csv_chunks(path, names, delimiter, encoding, options.block_bytes, header_line)
        return _with_constants(raw, mapping.get("constants") or {})

    return [Part(str(path), fmap, chunks)]


def _columns_read(fmap: FieldMap, names: list[str], source: str) -> list[str]:
    """The file's columns the field map reads (in file order); the others are never read, so
    a column the mapping does not name (a pandas index, an export's extras) changes nothing."""
    wanted = {c.name for c in fmap.fields.values() if isinstance(c, Col)} | set(fmap.reads)
    read = [name for name in names if name in wanted]
    for name in read:
        if names.count(name) > 1:
            raise TransactionLoadError(
                source, f"column {name!r}", "the file has two columns of that name"
            )
        if problem := column_name_problem(name):
            raise TransactionLoadError(source, f"column {name!r}", problem)
    return read


def open_parquet(path: Path, options: LoadOptions) -> list[Part]:
    mapping = read_mapping(options.mapping) if options.mapping else {}
    try:
        file = pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise TransactionLoadError(
            str(path), "file", f"not a readable Parquet file: {exc}"
        ) from exc
    fmap = _field_map(mapping, file.schema_arrow.names, str(path))
    read = _columns_read(fmap, file.schema_arrow.names, str(path))

    def chunks() -> Iterator[RawChunk]:
        start = 1
        for batch in file.iter_batches(batch_size=options.chunk_rows, columns=read):
            table = pa.Table.from_batches([batch])
            for index, field in enumerate(table.schema):
                if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                    table = table.set_column(index, field, trimmed(table.column(index)))
            rows = pa.array(np.arange(start, start + table.num_rows, dtype=np.int64))
            start += table.num_rows
            yield RawChunk(table.append_column("_row", rows))

    return [
        Part(str(path), fmap, lambda: _with_constants(chunks(), mapping.get("constants") or {}))
    ]
