"""National lists without a machine format: a CSV plus a column mapping (`--mapping`).

Indonesia's DTTOT (published by PPATK as a spreadsheet), Russia's Rosfinmonitoring catalogue and
any agency's own list load through one reader: the mapping (see `mapping.py` and
docs/lists.md) says which column is the name, the aliases, the birth date and place, the
nationality, identifiers such as NIK or INN, and which programme and topics the list carries.
Ids come from the list's own id column when it has one (stable across versions); otherwise
from the name and birth date, so an unchanged entry keeps its id.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from normality import slugify

from jalur.countries import country_codes, unread_countries
from jalur.lists.errors import ListLoadError, Problems, overlong
from jalur.lists.formats import _build as b
from jalur.lists.formats._dates import parse_date
from jalur.lists.formats._sheet import Row, csv_rows, is_workbook, workbook_sheets
from jalur.lists.formats.mapping import Column, Mapping, load_mapping, shipped_mappings
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

log = logging.getLogger(__name__)
_PLACE_DATE_SPLIT = re.compile(r"\s*[,;/]\s*")
#: What a birth date looks like even when no reading accepts it (31 Februari 1980, 31-02-1980).
_DATE_LIKE = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b")
#: Schemata a `schema` column may name directly (besides the mapping's translated values).
_SCHEMATA = frozenset({"Person", "Organization", "LegalEntity", "Company", "Vessel", "Airplane"})
_PERSON_FIELDS = (
    "birthDate",
    "birthPlace",
    "nationality",
    "citizenship",
    "gender",
    "position",
    "title",
)


def parse(path: Path, options: ParseOptions) -> ParsedList:
    if options.mapping is None:
        raise ListLoadError(
            str(path),
            "--mapping",
            f"the csv format needs a column mapping (shipped: {', '.join(shipped_mappings())})",
        )
    mapping = load_mapping(options.mapping)
    source = str(path)
    if is_workbook(path):
        header, rows = _workbook_table(source, path, mapping)
    else:
        encoding = options.encoding or mapping.encoding
        found = list(csv_rows(path, encoding, mapping.delimiter))[mapping.skip_rows :]
        header, rows = _table(source, found, mapping)
    entities: list[EntityProxy] = []
    seen: dict[str, tuple[str, EntityProxy]] = {}
    problems = Problems(source)
    for place, cells in rows:
        try:
            entities.extend(_checked_entry(source, place, header, cells, mapping, seen))
        except ListLoadError as exc:
            problems.add(exc)
    problems.check()
    return ParsedList(options.list_name or mapping.list_name, "csv", None, entities)


def _checked_entry(
    source: str,
    place: str,
    header: list[str],
    cells: list[str],
    mapping: Mapping,
    seen: dict[str, tuple[str, EntityProxy]],
) -> list[EntityProxy]:
    """The entities of one row; a row sharing an id with an earlier one is merged into it."""
    items = list(_entry(source, place, _record(source, place, header, cells), mapping))
    party = items[-1]
    if str(party.id) in seen:
        _check_mergeable(source, place, party, *seen[str(party.id)])
        log.warning(
            "%s: %s repeats the entry of %s (%s); merged",
            source,
            place,
            seen[str(party.id)][0],
            party.id,
        )
    seen.setdefault(str(party.id), (place, party))
    return items


#: How many non-empty rows above the header a file may have (a title, a date, a blank line).
HEADER_SCAN = 20


def _check_mergeable(
    source: str, place: str, party: EntityProxy, first_place: str, first: EntityProxy
) -> None:
    """Rows sharing an id are one party, merged; a person and an organisation cannot be one."""
    try:
        model.common_schema(first.schema, party.schema)
    except InvalidData:
        raise ListLoadError(
            source,
            place,
            f"repeats the id {party.id} of {first_place} ({first.schema.name}) as a"
            f" {party.schema.name}: give each party its own id",
        ) from None


def _table(source: str, rows: list[Row], mapping: Mapping) -> tuple[list[str], list[Row]]:
    """The header (the first row naming every mapped column) and the non-empty rows below it.

    PPATK's spreadsheet opens with a title and a date above the header; the header is found
    rather than assumed to be the first row.
    """
    filled = [(place, cells) for place, cells in rows if any(c.strip() for c in cells)]
    if not filled:
        raise ListLoadError(source, "start of file", "no header row")
    candidates = [(place, _header_cells(cells)) for place, cells in filled[:HEADER_SCAN]]
    for at, (_, header) in enumerate(candidates):
        if not _missing(header, mapping):
            return header, filled[at + 1 :]
    place, header = min(candidates, key=lambda found: len(_missing(found[1], mapping)))
    missing = ", ".join(map(repr, _missing(header, mapping)))
    raise ListLoadError(
        source, place, f"header lacks column(s) {missing} named in {mapping.source}"
    )


def _workbook_table(source: str, path: Path, mapping: Mapping) -> tuple[list[str], list[Row]]:
    """The table of the first sheet whose header names every mapped column."""
    sheets = workbook_sheets(path)
    refusals = []
    for _, rows in sheets:
        try:
            return _table(source, rows, mapping)
        except ListLoadError as exc:
            refusals.append(f"{exc.location}: {exc.reason}")
    if not sheets:
        raise ListLoadError(source, "workbook", "no sheets")
    raise ListLoadError(
        source,
        "workbook",
        "no sheet has the header the mapping expects (" + "; ".join(refusals) + ")",
    )


def _header_cells(cells: list[str]) -> list[str]:
    """Header names with spaces and line breaks collapsed, empty cells at the end dropped."""
    names = [" ".join(c.lstrip("\ufeff").split()) for c in cells]
    while names and not names[-1]:
        names.pop()
    return names


def _missing(header: list[str], mapping: Mapping) -> list[str]:
    lowered = {h.lower() for h in header}
    return [c.header for c in mapping.columns if c.header.lower() not in lowered and not c.optional]


def _record(source: str, place: str, header: list[str], cells: list[str]) -> dict[str, str]:
    """One row as column → cell; a cell beyond the header's columns is refused, not dropped."""
    extra = [c for c in cells[len(header) :] if c.strip()]
    if extra or (len(cells) < len(header) and place.startswith("line")):
        raise ListLoadError(source, place, f"expected {len(header)} columns, found {len(cells)}")
    padded = [*cells, *[""] * (len(header) - len(cells))]
    unnamed = [i + 1 for i, (h, c) in enumerate(zip(header, padded, strict=False)) if c and not h]
    if unnamed:
        raise ListLoadError(source, place, f"a value in column {unnamed[0]}, which has no header")
    for name, cell in zip(header, padded, strict=False):
        if problem := overlong(cell.strip(), f"column {name!r}"):
            raise ListLoadError(source, place, problem)
    return {h: c.strip() for h, c in zip(header, padded, strict=False) if h}


def _entry(source: str, place: str, row: dict[str, str], mapping: Mapping) -> Iterator[EntityProxy]:
    cells = {k.lower(): v for k, v in row.items()}
    mapped = {c.header.lower() for c in mapping.columns}
    values = {c.header: _values(c, cells.get(c.header.lower(), "")) for c in mapping.columns}
    by_field: dict[str, list[str]] = {}
    for column in mapping.columns:
        by_field.setdefault(column.kind, []).extend(values[column.header])
    names = by_field.get("name", [])
    if not names:
        raise ListLoadError(source, place, "entry without a name")
    kind = next(iter(by_field.get("schema", [])), "")
    schema = mapping.schemata.get(kind.lower(), kind if kind in _SCHEMATA else "")
    schema = schema or mapping.default_schema
    own_id = next(iter(by_field.get("id", [])), None)
    party = b.subject(
        schema, _entity_id(mapping.list_name, own_id, names, by_field), own_id or place
    )
    party.add("name", names[0])
    party.add("alias", names[1:])
    if kind and kind.lower() not in mapping.schemata and kind not in _SCHEMATA:
        log.warning("%s: %s: type %r unknown, read as %s", source, place, kind, schema)
        party.add("notes", f"type {kind!r} not in the mapping; read as {schema}")
    yield from _fields(party, mapping, values, f"{source}: {place}")
    for header, value in row.items():
        if header.lower() not in mapped and value:
            party.add("notes", f"{header}: {value}")
    listing = next(iter(by_field.get("listing_date", [])), None)
    programme = mapping.programme
    yield b.sanction(
        party,
        programme,
        listing_date=listing,
        reason="; ".join(by_field.get("reason", [])) or None,
        authority_id=own_id,
    )
    yield party


def _values(column: Column, cell: str) -> list[str]:
    parts = _splitter(column.split).split(cell) if column.split and cell else [cell]
    found = []
    for part in parts:
        value = " ".join(part.split())
        if value:
            found.append(column.values.get(value.lower(), value))
    return found


@cache
def _splitter(separator: str) -> re.Pattern[str]:
    """The separator in any case and with any run of spaces: " alias " also splits
    "ABU RUSDAN ALIAS THORIQUDDIN" and an alias put on a new line within the cell."""
    words = r"\s+".join(re.escape(word) for word in separator.split())
    if not words:
        return re.compile(re.escape(separator))
    before = r"\s+" if separator[:1].isspace() else r"\s*"
    after = r"\s+" if separator[-1:].isspace() else r"\s*"
    return re.compile(before + words + after, re.IGNORECASE)


def _entity_id(
    list_name: str, own_id: str | None, names: list[str], by_field: dict[str, list[str]]
) -> str:
    if own_id:
        return f"{list_name}-{slugify(own_id) or hashlib.sha1(own_id.encode()).hexdigest()[:16]}"
    key = "|".join(
        [names[0].lower(), *by_field.get("birthDate", []), *by_field.get("birth_place_date", [])]
    )
    return f"{list_name}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def _fields(
    party: EntityProxy, mapping: Mapping, values: dict[str, list[str]], where: str
) -> Iterator[EntityProxy]:
    is_person = party.schema.is_a("Person")
    for column in mapping.columns:
        kind = column.kind
        for value in values[column.header]:
            if kind in ("id", "schema", "name", "ignore", "listing_date", "reason", "programme"):
                continue
            if kind in _PERSON_FIELDS and not is_person:
                party.add("notes", f"{column.header}: {value}")
            elif kind == "birthDate":
                b.put_dates(party, "birthDate", value)
            elif kind == "birth_place_date":
                _place_date(party, value, f"{where}: {column.header}")
            elif kind in ("nationality", "citizenship", "country"):
                # names, codes, demonyms, WNI; several (`WNI; Malaysia`) each read
                party.add(kind, list(country_codes(value)))
                for unread in unread_countries(value):
                    party.add("notes", f"{column.header}: {unread}")
            elif kind == "address":
                item = b.address(party, full=value, country=column.country)
                if item is not None:
                    yield item
            elif kind == "identifier":
                doc = b.identifier(party, str(column.label), value, country=column.country)
                if doc is not None:
                    yield doc
            else:
                b.put(party, kind.removeprefix("prop:"), value)


def _place_date(party: EntityProxy, text: str, where: str) -> None:
    """'Kudus, 16 Agustus 1960' / 'Jakarta/16-08-1960' / '19.07.1970 г.р., Нальчик'.

    A date no reading accepts ('Jakarta, 31 Februari 1980') is still a date, not part of the
    place: the place is kept, the date goes to notes and a warning names it (the entry loads).
    """
    cleaned = re.sub(r"\s*г\.\s*р\.?", "", text)
    if parse_date(cleaned):
        b.put_dates(party, "birthDate", cleaned)
        return
    splits = [
        (date, place.strip())
        for match in _PLACE_DATE_SPLIT.finditer(cleaned)
        for date, place in (
            (cleaned[match.end() :], cleaned[: match.start()]),
            (cleaned[: match.start()], cleaned[match.end() :]),
        )
    ]
    for date, place in splits:
        if parse_date(date):
            b.put_dates(party, "birthDate", date)
            b.put(party, "birthPlace", place or None)
            return
    for date, place in splits:
        if _DATE_LIKE.search(date) and _is_place(place):
            _unusable_date(party, date, where)
            b.put(party, "birthPlace", place)
            return
    if _DATE_LIKE.search(cleaned) and not any(_is_place(place) for _, place in splits):
        _unusable_date(party, cleaned, where)
        return
    b.put(party, "birthPlace", cleaned)


def _is_place(text: str) -> bool:
    """A place names itself in letters; a part with digits is (part of) a date."""
    return any(c.isalpha() for c in text) and not any(c.isdigit() for c in text)


def _unusable_date(party: EntityProxy, date: str, where: str) -> None:
    log.warning("%s: date %r is no valid date; kept in notes", where, date)
    b.put_dates(party, "birthDate", date)
