"""UK OFSI consolidated list of financial sanctions targets: ConList.csv or ConList.xml.

OFSI publishes one row per *name* of a target; rows sharing a Group ID are one party, so the
parser groups them into one Person / Organization / Vessel with id `uk-<GroupID>`: the primary
name as `name`, AKA and name variations as `alias` (low quality as `weakAlias`), FKA as
`previousName`, the non-Latin script name as an alias. Multi-valued cells ("(1) … (2) …") are
split. Both files are mapped onto the XML element names so one row reader serves both.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError, Problems, overlong_property
from jalur.lists.formats import _build as b
from jalur.lists.formats._dates import parse_date
from jalur.lists.formats._reference import programme
from jalur.lists.formats._text import decode, read_bytes
from jalur.lists.formats._xml import parse_xml, warn_strays, where
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

LIST_NAME = "uk-ofsi"
_SCHEMATA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
_NAME_PROPS = {
    "primary name": "name",
    "primary name variation": "alias",
    "aka": "alias",
    "fka": "previousName",
    "nka": "alias",
}
#: CSV header → XML element name (lower case), from OFSI's published 2022 file layout.
CSV_COLUMNS = {
    **{f"name {n}": f"name{n}" for n in range(1, 7)},
    **{f"address {n}": f"address{n}" for n in range(1, 7)},
    "title": "title",
    "name non-latin script": "namenonlatinscript",
    "non-latin script type": "nonlatinscripttype",
    "non-latin script language": "nonlatinscriptlanguage",
    "dob": "individual_dateofbirth",
    "town of birth": "individual_townofbirth",
    "country of birth": "individual_countryofbirth",
    "nationality": "individual_nationality",
    "passport number": "individual_passportnumber",
    "passport details": "individual_passportdetails",
    "national identification number": "individual_ninumber",
    "national identification details": "individual_nidetails",
    "position": "individual_position",
    "post/zip code": "postcode",
    "country": "country",
    "other information": "otherinformation",
    "group type": "grouptypedescription",
    "alias type": "aliastype",
    "alias quality": "aliasquality",
    "regime": "regimename",
    "listed on": "datelisted",
    "uk sanctions list date designated": "datedesignated",
    "last updated": "lastupdated",
    "group id": "groupid",
    "uk sanctions list ref": "uksanctionslistref",
    "un ref": "unref",
}
_ITEM = re.compile(r"\(\d+\)")
#: Simple OFSI fields → FtM property of the party (XML element names, lower case).
_SIMPLE = {
    "individual_gender": "gender",
    "entity_type": "legalForm",
    "entity_businessregnumber": "registrationNumber",
    "phonenumber": "phone",
    "emailaddress": "email",
    "website": "website",
    "ship_imonumber": "imoNumber",
    "ship_flag": "flag",
    "ship_type": "type",
    "ship_tonnage": "tonnage",
    "ship_yearbuilt": "buildDate",
}
#: Fields read by the name, date, address, document and sanction code, or pure metadata;
#: anything else a row carries is kept in the party's notes.
_CONSUMED = frozenset(
    {f"name{n}" for n in range(1, 7)}
    | {f"address{n}" for n in range(1, 7)}
    | {
        "aliastype",
        "aliasquality",
        "namenonlatinscript",
        "nonlatinscripttype",
        "nonlatinscriptlanguage",
        "title",
        "individual_dateofbirth",
        "individual_townofbirth",
        "individual_nationality",
        "individual_countryofbirth",
        "individual_position",
        "otherinformation",
        "postcode",
        "country",
        "individual_passportnumber",
        "individual_passportdetails",
        "individual_ninumber",
        "individual_nidetails",
        "grouptypedescription",
        "regimename",
        "datelisted",
        "datedesignated",
        "lastupdated",
        "groupid",
        "uksanctionslistref",
        "unref",
        "ukstatementofreasons",
        "listingtype",
        "groupstatus",
        "grpstatus",
    }
)

Row = tuple[int, dict[str, str]]


def parse(path: Path, options: ParseOptions) -> ParsedList:
    source = str(path)
    is_xml = read_bytes(path)[:512].lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<")
    published, rows = _xml_rows(path, options) if is_xml else _csv_rows(source, path, options)
    problems = Problems(source)
    groups: dict[str, list[Row]] = {}
    for line, row in rows:
        group = row.get("groupid")
        if not group:
            problems.add(ListLoadError(source, f"line {line}", "row without a Group ID"))
            continue
        if not (group.isascii() and group.isdigit()):  # OFSI's Group IDs are numbers: `uk-<id>`
            problems.add(
                ListLoadError(source, f"line {line}", f"Group ID {group[:40]!r} is not a number")
            )
            continue
        groups.setdefault(group, []).append((line, row))
    entities: list[EntityProxy] = []
    for group, members in groups.items():
        place = f"line {members[0][0]}, Group ID {group}"
        try:
            with b.reading(f"{source}: {place}"):
                items = list(_target(source, group, members))
            if not items[-1].get("name", quiet=True):
                raise ListLoadError(source, place, "entry without a name")
            if problem := overlong_property(items):
                raise ListLoadError(source, place, problem)
        except ListLoadError as exc:
            problems.add(exc)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            problems.add(ListLoadError(source, place, f"unreadable entry: {exc}"))
        else:
            entities.extend(items)
    problems.check()  # every bad row and target named in one run; the file refused whole
    return ParsedList(options.list_name or LIST_NAME, "uk", published, entities)


def _csv_rows(source: str, path: Path, options: ParseOptions) -> tuple[str | None, list[Row]]:
    text = decode(source, read_bytes(path), options.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    published = None
    header: list[str] | None = None
    rows: list[Row] = []
    try:
        for cells in reader:
            if header is None:
                if cells and cells[0].strip().lower() == "last updated" and len(cells) <= 3:
                    dates = parse_date(cells[1] if len(cells) > 1 else None)
                    published = dates[0] if dates else None
                    continue
                header = [CSV_COLUMNS.get(c.strip().lower(), c.strip().lower()) for c in cells]
                if "groupid" not in header:
                    raise ListLoadError(source, f"line {reader.line_num}", "no 'Group ID' column")
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise ListLoadError(
                    source,
                    f"line {reader.line_num}",
                    f"expected {len(header)} columns, found {len(cells)}",
                )
            rows.append(
                (
                    reader.line_num,
                    {k: v.strip() for k, v in zip(header, cells, strict=True) if v.strip()},
                )
            )
    except csv.Error as exc:
        raise ListLoadError(source, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    if header is None:
        raise ListLoadError(source, "line 1", "empty file: no header row")
    return published, rows


def _xml_rows(path: Path, options: ParseOptions) -> tuple[str | None, list[Row]]:
    root = parse_xml(path, options.encoding)
    if root.tag != "ArrayOfFinancialSanctionsTarget":
        raise ListLoadError(str(path), where(root), "not an OFSI ArrayOfFinancialSanctionsTarget")
    warn_strays(str(path), root, {"FinancialSanctionsTarget"})
    rows: list[Row] = []
    for target in root.iterfind("FinancialSanctionsTarget"):
        row = {
            str(c.tag).lower(): " ".join((c.text or "").split())
            for c in target
            if isinstance(c.tag, str) and (c.text or "").strip()
        }
        rows.append((target.sourceline or 0, row))
    dates = [r.get("lastupdated", "")[:10] for _, r in rows if r.get("lastupdated")]
    return (max(dates) if dates else None), rows


def _items(text: str | None) -> list[str]:
    """'(1) Kudus (2) Jakarta' → ['Kudus', 'Jakarta']; plain text → [text]."""
    if not text:
        return []
    parts = [p.strip(" ,;") for p in _ITEM.split(text)]
    return [p for p in parts if p]


def _target(source: str, group: str, members: list[Row]) -> Iterator[EntityProxy]:
    line, first = members[0]
    kind = first.get("grouptypedescription", "").lower()
    schema = _SCHEMATA.get(kind)
    if schema is None:
        raise ListLoadError(
            source, f"line {line}, Group ID {group}", f"unknown Group Type {kind!r}"
        )
    _check_one_type(source, group, members)
    party = b.subject(schema, f"uk-{group}", group)
    for _, row in sorted(
        members, key=lambda m: m[1].get("aliastype", "").lower() != "primary name"
    ):
        _row(party, row)
    yield from _addresses(party, members)
    yield from _documents(party, members)
    regimes = sorted({row.get("regimename", "UK") for _, row in members})
    for regime in regimes:
        yield b.sanction(
            party,
            programme("uk", regime),
            listing_date=first.get("datelisted") or first.get("datedesignated"),
            reason=first.get("ukstatementofreasons"),
            authority_id=first.get("uksanctionslistref"),
            unsc_id=first.get("unref"),
        )
    yield party


def _check_one_type(source: str, group: str, members: list[Row]) -> None:
    """One target is one kind of party: rows of a Group ID naming different Group Types (a
    Group ID mistyped on one row) would otherwise make one party's names another's aliases."""
    kinds: dict[str, int] = {}
    for line, row in members:
        if kind := row.get("grouptypedescription", "").strip().lower():  # a blank one says none
            kinds.setdefault(kind, line)
    if len(kinds) > 1:
        written = {line: row.get("grouptypedescription", "") for line, row in members}
        seen = ", ".join(f"{written[line]!r} (line {line})" for line in kinds.values())
        raise ListLoadError(
            source,
            f"line {members[0][0]}, Group ID {group}",
            f"rows disagree on the Group Type: {seen}",
        )


def _row(party: EntityProxy, row: dict[str, str]) -> None:
    names = [row.get(f"name{n}") for n in range(1, 7)]
    full = " ".join(n for n in names if n)
    prop = _NAME_PROPS.get(row.get("aliastype", "").lower(), "alias")
    if prop == "name" and party.has("name"):
        prop = "alias"
    if "low" in row.get("aliasquality", "").lower() and prop == "alias":
        prop = "weakAlias"
    b.put(party, prop, full or None)
    b.put(party, "alias", row.get("namenonlatinscript"))
    b.put(party, "title", _items(row.get("title")) if party.schema.get("title") else None)
    is_person = party.schema.is_a("Person")
    for date in _items(row.get("individual_dateofbirth")):
        b.put_dates(party, "birthDate" if is_person else "incorporationDate", date)
    b.put(party, "birthPlace" if is_person else "notes", _items(row.get("individual_townofbirth")))
    for prop_name, key in (
        ("nationality", "individual_nationality"),
        ("birthCountry", "individual_countryofbirth"),
    ):
        for country in _items(row.get(key)):
            code = b.country_code(country)
            target = prop_name if party.schema.get(prop_name) else "country"
            if code:
                party.add(target, code)
            else:
                party.add("notes", f"{prop_name}: {country}")
    b.put(party, "position" if is_person else "notes", _items(row.get("individual_position")))
    b.put(party, "notes", row.get("otherinformation"))
    for key, value in row.items():
        if key in _SIMPLE:
            if _SIMPLE[key] == "buildDate":
                b.put_dates(party, "buildDate", value)
            else:
                b.put(party, _SIMPLE[key], _items(value))
        elif key not in _CONSUMED:
            party.add("notes", f"{key}: {value}")


def _addresses(party: EntityProxy, members: list[Row]) -> Iterator[EntityProxy]:
    for _, row in members:
        lines = [row.get(f"address{n}") for n in range(1, 7)]
        item = b.address(
            party,
            country=row.get("country"),
            street=", ".join(x for x in lines if x) or None,
            postalCode=row.get("postcode"),
        )
        if item is not None:
            yield item


def _documents(party: EntityProxy, members: list[Row]) -> Iterator[EntityProxy]:
    for _, row in members:
        for label, number_key, details_key in (
            ("Passport", "individual_passportnumber", "individual_passportdetails"),
            ("National identification number", "individual_ninumber", "individual_nidetails"),
        ):
            details = row.get(details_key)
            for number in _items(row.get(number_key)):
                doc = b.identifier(party, label, number, country=_country_in(details), note=details)
                if doc is not None:
                    yield doc


def _country_in(details: str | None) -> str | None:
    """OFSI puts the issuing country in free-text details ("Indonesian. Issued 2010")."""
    if not details:
        return None
    for word in re.split(r"[.,;()]", details):
        if b.country_code(word.strip()):
            return word.strip()
    return None
