"""OFAC legacy CSV: the SDN trio/quad sdn.csv, alt.csv, add.csv, sdn_comments.csv (and the
Consolidated list's cons_prim/cons_alt/cons_add/cons_comments).

No header row, `-0-` means empty, the files end with a 0x1A byte, and remarks longer than the
main file allows continue in the comments file. PATH is the folder or the main file; the other
files are found beside it. Entities are the same as the XML parser's (`ofac-<ent_num>`), so a
list loaded from CSV one day and XML the next gives a meaningful delta.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from jalur.inputs import file_problem
from jalur.lists.errors import ListLoadError, overlong
from jalur.lists.formats import _build as b
from jalur.lists.formats import ofac_common as oc
from jalur.lists.formats._text import decode, read_bytes
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

#: (main, alt, add, comments) file names of the two lists OFAC publishes in this layout.
FILE_SETS = (
    ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
    ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
)
_WIDTHS = {"main": 12, "alt": 5, "add": 6, "comments": 2}
_ALT_PROPS = {"aka": "alias", "fka": "previousName", "nka": "alias"}


@dataclass(frozen=True)
class Row:
    source: str
    line: int
    cells: list[str | None]

    @property
    def where(self) -> str:
        return f"line {self.line}"


def files_of(path: Path) -> tuple[Path, Path | None, Path | None, Path | None]:
    """The main file and its companions (None when a companion is absent)."""
    folder = path if path.is_dir() else path.parent
    for names in FILE_SETS:
        main = folder / names[0]
        if (path.is_dir() and main.is_file()) or path.name.lower() == names[0]:
            companions = [_companion(folder / n) for n in names[1:]]
            return (main, companions[0], companions[1], companions[2])
    raise ListLoadError(str(path), "path", "no OFAC main file (sdn.csv or cons_prim.csv) here")


def _companion(path: Path) -> Path | None:
    """A companion file, or None when absent; one that is there but no regular file (a FIFO,
    a link to a device) is refused, not passed over: the version would lack its aliases."""
    if problem := file_problem(path):
        raise ListLoadError(str(path), "path", problem)
    return path if path.is_file() else None


def parse(path: Path, options: ParseOptions) -> ParsedList:
    main, alt, add, comments = files_of(path)
    rows = _rows(main, "main", options.encoding)
    extended = {r.cells[0]: r.cells[1] or "" for r in _rows(comments, "comments", options.encoding)}
    parties: dict[str, tuple[EntityProxy, Row]] = {}
    entities: list[EntityProxy] = []
    for row in rows:
        party, extra = _entry(row, extended)
        if (first := parties.get(str(row.cells[0]))) is not None:
            raise ListLoadError(
                row.source,
                row.where,
                f"ent_num {row.cells[0]} appears twice (first at {first[1].where})",
            )
        parties[str(row.cells[0])] = (party, row)
        entities.extend(extra)
    for row in _rows(alt, "alt", options.encoding):
        _alias(_owner(parties, row), row)
    for row in _rows(add, "add", options.encoding):
        item = _address(_owner(parties, row), row)
        if item is not None:
            entities.append(item)
    for ent_num in extended:
        if ent_num not in parties:
            raise ListLoadError(str(comments), f"ent_num {ent_num}", "comment for no entry")
    entities.extend(party for party, _ in parties.values())
    name = options.list_name or oc.list_name_for(main)
    return ParsedList(name, "ofac-csv", None, entities)


def _rows(path: Path | None, kind: str, encoding: str | None) -> list[Row]:
    if path is None:
        return []
    source = str(path)
    text = decode(source, read_bytes(path), encoding).rstrip("\x1a")
    if text.strip() and not text.endswith(("\n", "\r")) and kind != "comments":
        last = text.count("\n") + 1
        raise ListLoadError(source, f"line {last}", "truncated: the last line is incomplete")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        for cells in reader:
            if not cells or cells == [""]:
                continue
            rows.append(_row(source, reader.line_num, kind, cells))
    except csv.Error as exc:
        raise ListLoadError(source, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    return rows


def _row(source: str, line: int, kind: str, cells: list[str]) -> Row:
    if len(cells) != _WIDTHS[kind]:
        raise ListLoadError(
            source, f"line {line}", f"expected {_WIDTHS[kind]} columns, found {len(cells)}"
        )
    for number, cell in enumerate(cells, start=1):
        if problem := overlong(cell.strip(), f"column {number}"):
            raise ListLoadError(source, f"line {line}", problem)
    values = [None if c.strip() in ("-0-", "") else c.strip() for c in cells]
    if not (values[0] or "").isdigit():
        raise ListLoadError(source, f"line {line}", f"ent_num {cells[0]!r} is not a number")
    return Row(source, line, values)


def _owner(parties: dict[str, tuple[EntityProxy, Row]], row: Row) -> EntityProxy:
    found = parties.get(str(row.cells[0]))
    if found is None:
        raise ListLoadError(row.source, row.where, f"ent_num {row.cells[0]} has no main entry")
    return found[0]


def _entry(row: Row, extended: dict[str | None, str]) -> tuple[EntityProxy, list[EntityProxy]]:
    (
        ent_num,
        name,
        sdn_type,
        program,
        title,
        call_sign,
        vess_type,
        tonnage,
        grt,
        flag,
        owner,
        remarks,
    ) = row.cells
    schema = oc.schema_for(sdn_type)
    if schema is None or not name:
        raise ListLoadError(row.source, row.where, f"unknown type {sdn_type!r} or empty name")
    party = b.subject(schema, f"ofac-{ent_num}", str(ent_num))
    last, first = oc.split_csv_name(name, schema == "Person")
    oc.person_name(party, last, first)
    b.put(party, "title" if schema == "Person" else "notes", title)
    for prop, value in (
        ("callSign", call_sign),
        ("type", vess_type),
        ("tonnage", tonnage),
        ("grossRegisteredTonnage", grt),
        ("flag", flag),
    ):
        b.put(party, prop, value)
    b.put(party, "notes", f"owner: {owner}" if owner else None)
    full_remarks = (remarks or "") + extended.get(ent_num, "")
    documents, provisions = oc.apply_remarks(party, full_remarks)
    programs = oc.split_programs(program)
    if not programs:
        raise ListLoadError(row.source, row.where, f"entry {ent_num} has no program")
    return party, [*documents, *oc.sanctions(party, programs, provisions, str(ent_num))]


def _alias(party: EntityProxy, row: Row) -> None:
    _, _, alt_type, alt_name, alt_remarks = row.cells
    if not alt_name:
        raise ListLoadError(row.source, row.where, "alias row without a name")
    prop = _ALT_PROPS.get((alt_type or "aka").lower().strip("."), "alias")
    last, first = oc.split_csv_name(alt_name, party.schema.is_a("Person"))
    oc.person_name(party, last, first, prop)
    b.put(party, "notes", alt_remarks)


def _address(party: EntityProxy, row: Row) -> EntityProxy | None:
    _, _, street, city, country, remarks = row.cells
    return b.address(party, country=country, street=street, city=city, remarks=remarks)
