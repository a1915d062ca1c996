"""A payment's country fields as ISO 3166 alpha-2, however the source wrote them.

The corridor checks (`mon_risk_countries`, the stream's corridor typology) compare alpha-2
codes; a bank's export that says `IRN`, `Iran`, `Iran, Islamic Republic of` or `Иран` used to
be stored upper-cased as written and never met them. Each *distinct* value of a chunk is read
once through `jalur.countries.country_code` (names, alpha-3 codes, Indonesian and Russian
names) and the column rebuilt from those answers, so a chunk of a million payments costs a
handful of look-ups. A value that names no country is kept as written (upper-cased, as
before: nothing is lost and the payment still goes in) and is a warning naming the record,
the field and the value: monitoring runs on, but the analyst learns which payments the
corridor checks cannot see.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from jalur.countries import country_code
from jalur.transactions.normalize import escape_controls

#: The canonical columns that hold a country.
COUNTRY_FIELDS = ("orig_country", "bene_country")
#: Unread values named one by one in a load's warnings; the rest are only counted.
MAX_NAMED = 20

log = logging.getLogger(__name__)


def country_alpha2(text: str | None) -> str | None:
    """The upper-case ISO alpha-2 code of a country as written (`IRN`, `Iran`, `Иран` → `IR`);
    None where it names none. A territory within a country (`Scotland`, `Crimea`: FtM's
    `gb-sct`, `ua-cri`) is that country's; a former one without a code of its own today
    (`USSR`) names none."""
    code = country_code(text)
    if code is None:
        return None
    country = code.split("-", 1)[0]
    return country.upper() if len(country) == 2 and country.isalpha() else None


@dataclass(frozen=True)
class UnreadCountry:
    """A country value no code was read from: where it was first met and how often."""

    field: str
    value: str
    position: str
    records: int

    def warning(self) -> str:
        """The load's warning: the record, the field and the value (escaped)."""
        also = f" (and {self.records - 1} more records)" if self.records > 1 else ""
        return (
            f"{self.position}{also}: {self.field} {escape_controls(self.value)!r} names no "
            "country jalur reads: kept as written, the corridor checks cannot see it"
        )


def read_countries(staged: pa.Table) -> tuple[pa.Table, list[UnreadCountry]]:
    """`staged` with each country field as alpha-2, and the values no code was read from.
    Rejected rows (`_reason`) are left out of the warnings: the quarantine names them."""
    unread: list[UnreadCountry] = []
    for field in COUNTRY_FIELDS:
        if field not in staged.column_names:
            continue
        column, missed = _read_column(staged, field)
        staged = staged.set_column(staged.schema.get_field_index(field), field, column)
        unread.extend(missed)
    return staged, unread


def _read_column(staged: pa.Table, field: str) -> tuple[pa.ChunkedArray, list[UnreadCountry]]:
    """One country column rebuilt from its distinct values' codes, and those not read."""
    column = staged.column(field).cast(pa.string())
    distinct = pc.unique(column.drop_null()).to_pylist()
    if not distinct:
        return column, []
    codes = [country_alpha2(value) for value in distinct]
    read = pa.array([code or value.upper() for value, code in zip(distinct, codes, strict=True)])
    rebuilt = pc.take(read, pc.index_in(column, value_set=pa.array(distinct, pa.string())))
    missed = [value for value, code in zip(distinct, codes, strict=True) if code is None]
    return rebuilt, _unread(staged, field, missed)


def _unread(staged: pa.Table, field: str, values: list[str]) -> list[UnreadCountry]:
    """Each unread value of a good record: its first record's position and its count (one
    grouping over the chunk, however many values a hostile file makes up)."""
    if not values:
        return []
    column = staged.column(field).cast(pa.string())
    good = pc.and_(pc.is_null(staged.column("_reason")), pc.is_in(column, pa.array(values)))
    hits = pa.table({"value": column, "position": staged.column("source_position")}).filter(good)
    grouped = hits.group_by("value", use_threads=False).aggregate(
        [("position", "first"), ("position", "count")]
    )
    return [
        UnreadCountry(field, str(row["value"]), str(row["position_first"]), row["position_count"])
        for row in grouped.to_pylist()
    ]
