"""What a reader hands the loader: chunks of its own columns plus a declarative field map.

Readers stay format experts and nothing more: they cut the source into bounded chunks of raw
columns (text, bytes or typed Arrow) and say, as data, which raw column or SQL expression feeds
each canonical field. Validation, ids, reporting amounts and dedupe happen once, in SQL, for all
formats (`normalize.py`), so every format rejects bad records for the same reasons.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

#: Columns a reader may add beside the source's own (see RawChunk).
META = ("_pos", "_line", "_row", "_raw", "_reject", "_e2e")
#: The normaliser's working columns, beside every `__`-prefixed name (`__f_amount`, `__b3`…).
WORKING = ("_bad_utf8", "_ord", "_reason", "_rawtext")


def column_name_problem(name: str) -> str | None:
    """Why a column named by a source (a file's header, a mapping) cannot be read, or None.

    Names are never pasted into SQL unquoted, but a name the normaliser uses itself would be
    read as its own: a file column `_reject` would reject every record with its own text,
    `_pos` would forge the record's position, `__ts` would replace the parsed timestamp.
    """
    if not name.strip():
        return "the column has no name"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "the name contains a control character"
    if name in META or name in WORKING or name.startswith("__"):
        return (
            f"{name!r} is a name the loader uses for its own columns "
            f"({', '.join(META + WORKING)} and names starting with '__'); rename the column"
        )
    return None


@dataclass(frozen=True)
class Col:
    """A canonical field read straight from one raw column."""

    name: str


@dataclass(frozen=True)
class Sql:
    """A canonical field computed by a SQL expression over raw columns (written in code only)."""

    expr: str
    type: str = "VARCHAR"


Source = Col | Sql


@dataclass(frozen=True)
class FieldMap:
    """How one raw layout becomes the canonical table.

    `fields` maps canonical names to their source; a missing `tx_id` means the id is a content
    hash of the record prefixed by `id_prefix` (the same record read twice gets the same id).
    `timestamp_formats` are strptime patterns tried in order for text timestamps; `params` are
    values that `Sql` expressions bind as `$name` (never pasted into the SQL text).
    """

    fields: Mapping[str, Source]
    id_prefix: str
    timestamp_formats: tuple[str, ...] = ()
    decimal_comma: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)  # `$name` values used by Sql exprs
    timezone: str = "UTC"  # IANA zone of times written without one (a mapping's `timezone:`)
    # Refuse an amount with more decimals than its currency has (`100.123 USD`); off for
    # research sets whose generators ignore minor units (IBM's `892031.21 Yen`).
    minor_units: bool = True
    # SQL over raw columns giving why a record is refused (NULL: it is not), judged first; a
    # mapped statement's line whose direction cannot be told (readers/statement.py).
    reject: str | None = None
    reads: tuple[str, ...] = ()  # raw columns the `Sql` fields read besides the `Col` ones
    # SQL over raw columns true for a line that is no record at all: a mapped statement's
    # balance and total lines (readers/statement.py), counted apart, neither loaded nor
    # quarantined.
    footer: str | None = None


@dataclass(frozen=True)
class Rejected:
    """A record a reader could not even cut into columns (ragged row, broken XML)."""

    position: str
    reason: str
    raw: str | None = None
    end_to_end_id: str | None = None
    uetr: str | None = None


@dataclass
class RawChunk:
    """One bounded piece of a source.

    `table` holds the raw columns plus `_pos` (text position, e.g. "line 12") or `_line` (int);
    optional `_raw` (record text kept in quarantine), `_reject` (a reason the reader already
    knows) and `_e2e` (the sender's EndToEndId, kept with a quarantined record). `rejected`
    are records that never became a row.
    """

    table: pa.Table
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True)
class Part:
    """One file of a source (an AMLSim folder has several) and how to read it."""

    source_file: str
    field_map: FieldMap
    chunks: Callable[[], Iterator[RawChunk]]
