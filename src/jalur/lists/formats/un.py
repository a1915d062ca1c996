"""UN Security Council consolidated list (official XML, root `CONSOLIDATED_LIST`).

Each INDIVIDUAL / ENTITY becomes a Person / Organization with id `un-sc-<DATAID>` (DATAID is
stable across UN releases, so consecutive files give a real delta), its aliases (good-quality
as `alias`, low-quality as `weakAlias`, f.k.a. as `previousName`; one ALIAS_NAME that lists
several names, `A; B; C`, gives each its own value; names an alias NOTE writes, `In Arabic: …`
or a list of spellings, are aliases too, and the rest of a NOTE is kept in notes), the name
in original script (Arabic, Cyrillic…), partial and ranged birth dates, places of birth,
nationalities, documents, addresses and one Sanction for its regime (1267 ISIL/Al-Qaida and
1988 Taliban are terrorism).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import _build as b
from jalur.lists.formats._alias_list import names_in_note, split_alias_list
from jalur.lists.formats._reference import programme
from jalur.lists.formats._xml import (
    Element,
    parse_xml,
    read_entries,
    strays,
    text_of,
    texts_of,
    where,
)
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

LIST_NAME = "un-sc"
_ORIGINAL_SCRIPT = re.compile(r"\(?original script:\s*([^)]+)\)?", re.I)
_KINDS = (("INDIVIDUALS", "INDIVIDUAL", "Person"), ("ENTITIES", "ENTITY", "Organization"))
_SCHEMA_OF = {kind: schema for _, kind, schema in _KINDS}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse(path: Path, options: ParseOptions) -> ParsedList:
    root = parse_xml(path, options.encoding)
    if root.tag != "CONSOLIDATED_LIST":
        raise ListLoadError(str(path), where(root), "not a UN consolidated list")
    published = (root.get("dateGenerated") or "")[:10] or None
    elements = [
        element for group, kind, _ in _KINDS for element in root.iterfind(f"{group}/{kind}")
    ]
    groups = {group: kind for group, kind, _ in _KINDS}
    stray = strays(str(path), root, groups, "INDIVIDUALS or ENTITIES")
    for node in root:
        if node.tag in groups:
            stray += strays(str(path), node, {groups[node.tag]}, f"an {groups[node.tag]}")
    entities = read_entries(str(path), elements, _entry, _dataid, stray)
    return ParsedList(options.list_name or LIST_NAME, "un", published, entities)


def _dataid(element: Element) -> str | None:
    dataid = text_of(element, "DATAID")
    return f"DATAID {dataid}" if dataid and dataid.isdigit() else None


def _entry(source: str, element: Element) -> Iterator[EntityProxy]:
    schema = _SCHEMA_OF[element.tag]
    dataid = text_of(element, "DATAID")
    if not dataid:
        raise ListLoadError(source, where(element), "entry without a numeric DATAID")
    if not dataid.isdigit():
        raise ListLoadError(source, where(element), f"DATAID {dataid[:40]!r} is not a number")
    party = b.subject(schema, f"{LIST_NAME}-{dataid}", dataid)
    names = [text_of(element, part) for part in _NAME_PARTS]
    party.add("name", " ".join(n for n in names if n))
    if schema == "Person":
        party.add("firstName", names[0])
        party.add("secondName", names[1])
    party.add("alias", text_of(element, "NAME_ORIGINAL_SCRIPT"))
    b.put(party, "title", texts_of(element, "TITLE/VALUE"))
    b.put(party, "position", texts_of(element, "DESIGNATION/VALUE"))
    b.put(party, "gender", text_of(element, "GENDER"))
    for nationality in texts_of(element, "NATIONALITY/VALUE"):
        _country(party, "nationality", nationality)
    updated = texts_of(element, "LAST_DAY_UPDATED/VALUE")
    b.put_dates(party, "modifiedAt", max(updated) if updated else None)
    kind = element.tag
    _aliases(party, element.findall(f"{kind}_ALIAS"))
    yield from _addresses(party, element.findall(f"{kind}_ADDRESS"))
    for birth in element.findall(f"{kind}_DATE_OF_BIRTH"):
        _birth_date(party, birth)
    for place in element.findall(f"{kind}_PLACE_OF_BIRTH"):
        _birth_place(party, place)
    yield from _documents(party, element.findall(f"{kind}_DOCUMENT"))
    regime = programme("un", text_of(element, "UN_LIST_TYPE") or "UN")
    yield b.sanction(
        party,
        regime,
        listing_date=text_of(element, "LISTED_ON"),
        reason=text_of(element, "COMMENTS1"),
        unsc_id=text_of(element, "REFERENCE_NUMBER"),
    )
    yield party


def _country(party: EntityProxy, prop: str, text: str) -> None:
    code = b.country_code(text)
    if code and party.schema.get(prop):
        party.add(prop, code)
    else:
        party.add("notes", f"{prop}: {text}")


def _aliases(party: EntityProxy, aliases: list[Element]) -> None:
    for alias in aliases:
        name = text_of(alias, "ALIAS_NAME")
        quality = (text_of(alias, "QUALITY") or "").lower()
        prop = {"low": "weakAlias", "f.k.a.": "previousName"}.get(quality, "alias")
        if name:
            party.add(prop, split_alias_list(_ORIGINAL_SCRIPT.sub("", name)))
            party.add(prop, [s.strip() for s in _ORIGINAL_SCRIPT.findall(name)])
            b.put_dates(party, "birthDate", text_of(alias, "DATE_OF_BIRTH"))
            b.put(party, "birthPlace", text_of(alias, "CITY_OF_BIRTH"))
            country = text_of(alias, "COUNTRY_OF_BIRTH")
            if country:  # a person listed under this alias as born there
                _country(party, "birthCountry", country)
        _alias_note(party, prop, name, text_of(alias, "NOTE"))


def _alias_note(party: EntityProxy, prop: str, name: str | None, note: str | None) -> None:
    """Names the NOTE writes become aliases like the one it annotates; the note itself is kept
    in notes, with the alias it belongs to, unless it said nothing but those names."""
    if not note:
        return
    found = names_in_note(note)
    party.add(prop, found.names)
    if not found.complete:
        party.add("notes", f'alias "{name}": {note}' if name else f"alias: {note}")


def _addresses(party: EntityProxy, addresses: list[Element]) -> Iterator[EntityProxy]:
    for element in addresses:
        item = b.address(
            party,
            country=text_of(element, "COUNTRY"),
            street=text_of(element, "STREET"),
            city=text_of(element, "CITY"),
            region=text_of(element, "STATE_PROVINCE"),
            postalCode=text_of(element, "ZIP_CODE"),
            remarks=text_of(element, "NOTE"),
        )
        if item is not None:
            yield item


def _birth_date(party: EntityProxy, element: Element) -> None:
    kind = (text_of(element, "TYPE_OF_DATE") or "").upper()
    start, end = text_of(element, "FROM_YEAR"), text_of(element, "TO_YEAR")
    if start and end:
        b.put_dates(party, "birthDate", f"{start} to {end}")
    b.put_dates(party, "birthDate", text_of(element, "DATE") or text_of(element, "YEAR"))
    b.put(party, "birthDate", text_of(element, "FROM_YEAR") if not end else None)
    if kind == "APPROXIMATELY":
        party.add("notes", "date of birth is approximate")


def _birth_place(party: EntityProxy, element: Element) -> None:
    parts = [text_of(element, tag) for tag in ("CITY", "STATE_PROVINCE", "COUNTRY")]
    place = ", ".join(p for p in parts if p)
    b.put(party, "birthPlace", place or None)
    country = b.country_code(text_of(element, "COUNTRY"))
    if country and party.schema.get("birthCountry"):
        party.add("birthCountry", country)


def _documents(party: EntityProxy, documents: list[Element]) -> Iterator[EntityProxy]:
    for element in documents:
        label = text_of(element, "TYPE_OF_DOCUMENT") or "document"
        detail = text_of(element, "TYPE_OF_DOCUMENT2")
        notes = [
            n for n in (detail, text_of(element, "NOTE"), text_of(element, "CITY_OF_ISSUE")) if n
        ]
        doc = b.identifier(
            party,
            label,
            text_of(element, "NUMBER"),
            country=text_of(element, "ISSUING_COUNTRY") or text_of(element, "COUNTRY_OF_ISSUE"),
            issued=text_of(element, "DATE_OF_ISSUE"),
            note="; ".join(notes) or None,
        )
        if doc is not None:
            yield doc
