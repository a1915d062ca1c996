"""National lists without a machine format: a CSV plus a column mapping (`--mapping`).

Indonesia's DTTOT (published by PPATK as a spreadsheet), Russia's Rosfinmonitoring catalogue and
any agency's own list load through one reader: the mapping (see `mapping.py` and
docs/lists.md) says which column is the name, the aliases, the birth date and place, the
nationality, identifiers such as NIK or INN, and which programme and topics the list carries.
Ids come from the list's own id column when it has one (stable across versions); otherwise
from the name and birth date, so an unchanged entry keeps its id.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy
from normality import slugify

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import _build as b
from jalur.lists.formats._dates import parse_date
from jalur.lists.formats._text import decode, read_bytes
from jalur.lists.formats.mapping import Column, Mapping, load_mapping, shipped_mappings
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

log = logging.getLogger(__name__)
_PLACE_DATE_SPLIT = re.compile(r"\s*[,;/]\s*")
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
    text = decode(source, read_bytes(path), options.encoding or mapping.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True)
    entities: list[EntityProxy] = []
    seen: dict[str, int] = {}
    try:
        for _ in range(mapping.skip_rows):
            next(reader, None)
        header = _header(source, reader.line_num + 1, next(reader, None), mapping)
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            if len(cells) != len(header):
                raise ListLoadError(
                    source, f"line {line}", f"expected {len(header)} columns, found {len(cells)}"
                )
            row = dict(zip(header, (c.strip() for c in cells), strict=True))
            items = list(_entry(source, line, row, mapping))
            party = items[-1]
            if str(party.id) in seen:
                log.warning(
                    "%s: line %d repeats the entry of line %d (%s); merged",
                    source,
                    line,
                    seen[str(party.id)],
                    party.id,
                )
            seen.setdefault(str(party.id), line)
            entities.extend(items)
    except csv.Error as exc:
        raise ListLoadError(source, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    return ParsedList(options.list_name or mapping.list_name, "csv", None, entities)


def _header(source: str, line: int, cells: list[str] | None, mapping: Mapping) -> list[str]:
    if not cells:
        raise ListLoadError(source, f"line {line}", "no header row")
    header = [c.strip().lstrip("\ufeff") for c in cells]
    lowered = {h.lower() for h in header}
    missing = [
        c.header for c in mapping.columns if c.header.lower() not in lowered and not c.optional
    ]
    if missing:
        raise ListLoadError(
            source,
            f"line {line}",
            f"header lacks column(s) {', '.join(map(repr, missing))} named in {mapping.source}",
        )
    return header


def _entry(source: str, line: int, row: dict[str, str], mapping: Mapping) -> Iterator[EntityProxy]:
    cells = {k.lower(): v for k, v in row.items()}
    mapped = {c.header.lower() for c in mapping.columns}
    values = {c.header: _values(c, cells.get(c.header.lower(), "")) for c in mapping.columns}
    by_field: dict[str, list[str]] = {}
    for column in mapping.columns:
        by_field.setdefault(column.kind, []).extend(values[column.header])
    names = by_field.get("name", [])
    if not names:
        raise ListLoadError(source, f"line {line}", "entry without a name")
    kind = next(iter(by_field.get("schema", [])), "")
    schema = mapping.schemata.get(kind.lower(), kind if kind in _SCHEMATA else "")
    schema = schema or mapping.default_schema
    own_id = next(iter(by_field.get("id", [])), None)
    party = b.subject(
        schema, _entity_id(mapping.list_name, own_id, names, by_field), own_id or f"line {line}"
    )
    party.add("name", names[0])
    party.add("alias", names[1:])
    if kind and kind.lower() not in mapping.schemata and kind not in _SCHEMATA:
        log.warning("%s: line %d: type %r unknown, read as %s", source, line, kind, schema)
        party.add("notes", f"type {kind!r} not in the mapping; read as {schema}")
    yield from _fields(party, mapping, values)
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
    parts = cell.split(column.split) if column.split and cell else [cell]
    found = []
    for part in parts:
        value = " ".join(part.split())
        if value:
            found.append(column.values.get(value.lower(), value))
    return found


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
    party: EntityProxy, mapping: Mapping, values: dict[str, list[str]]
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
                _place_date(party, value)
            elif kind in ("nationality", "citizenship", "country"):
                code = b.country_code(value)
                if code:
                    party.add(kind, code)
                else:
                    party.add("notes", f"{column.header}: {value}")
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


def _place_date(party: EntityProxy, text: str) -> None:
    """'Kudus, 16 Agustus 1960' / 'Jakarta/16-08-1960' / '19.07.1970 г.р., Нальчик'."""
    cleaned = re.sub(r"\s*г\.\s*р\.?", "", text)
    if parse_date(cleaned):
        b.put_dates(party, "birthDate", cleaned)
        return
    for match in _PLACE_DATE_SPLIT.finditer(cleaned):
        left, right = cleaned[: match.start()], cleaned[match.end() :]
        for date, place in ((right, left), (left, right)):
            if parse_date(date):
                b.put_dates(party, "birthDate", date)
                b.put(party, "birthPlace", place.strip() or None)
                return
    b.put(party, "birthPlace", cleaned)
