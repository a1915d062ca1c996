"""OFAC lists in the `sdnList` XML schema (sdn.xml, consolidated.xml).

Each sdnEntry becomes a Person / Organization / Vessel / Airplane with id `ofac-<uid>` (OFAC's
uid is stable across releases), its a.k.a.s (strong as `alias`, weak as `weakAlias`, f.k.a. as
`previousName`), dates and places of birth, nationalities and citizenships, addresses, the
structured id list (passports, national ids, tax numbers, registration numbers…), vessel data,
and one Sanction per programme (SDGT/FTO/SDT are terrorism, SDNTK/SDNT/ILLICIT-DRUGS narcotics).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import _build as b
from jalur.lists.formats import ofac_common as oc
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

_AKA_PROPS = {"a.k.a.": "alias", "f.k.a.": "previousName", "n.k.a.": "alias"}


def parse(path: Path, options: ParseOptions) -> ParsedList:
    root = parse_xml(path, options.encoding)
    if root.tag != "sdnList":
        raise ListLoadError(str(path), where(root), "not an OFAC sdnList document")
    info = root.find("publshInformation")
    published = None
    if info is not None:
        published = _us_date(text_of(info, "Publish_Date"))
    stray = strays(str(path), root, {"publshInformation", "sdnEntry"}, "an sdnEntry")
    entities = read_entries(str(path), root.iterfind("sdnEntry"), _entry, _uid, stray)
    name = options.list_name or oc.list_name_for(path)
    return ParsedList(name, "ofac", published, entities)


def _us_date(text: str | None) -> str | None:
    """OFAC writes its publication date as MM/DD/YYYY."""
    found = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (text or "").strip())
    if not found:
        return None
    month, day, year = (int(x) for x in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _uid(element: Element) -> str | None:
    uid = text_of(element, "uid")
    return f"uid {uid}" if uid and uid.isdigit() else None


def _entry(source: str, element: Element) -> Iterator[EntityProxy]:
    uid = text_of(element, "uid")
    if not uid or not uid.isdigit():
        raise ListLoadError(source, where(element), "sdnEntry without a numeric uid")
    schema = oc.schema_for(text_of(element, "sdnType"))
    if schema is None:
        raise ListLoadError(
            source, where(element), f"unknown sdnType {text_of(element, 'sdnType')!r}"
        )
    party = b.subject(schema, f"ofac-{uid}", uid)
    oc.person_name(party, text_of(element, "lastName"), text_of(element, "firstName"))
    b.put(party, "title" if schema == "Person" else "notes", text_of(element, "title"))
    _akas(party, element.findall("akaList/aka"))
    _facts(party, element)
    _vessel(party, element.find("vesselInfo"))
    documents, provisions = oc.apply_remarks(party, text_of(element, "remarks"))
    yield from documents
    yield from _ids(party, element.findall("idList/id"), provisions)
    for address in element.findall("addressList/address"):
        item = b.address(
            party,
            country=text_of(address, "country"),
            street=", ".join(
                texts_of(address, "address1")
                + texts_of(address, "address2")
                + texts_of(address, "address3")
            )
            or None,
            city=text_of(address, "city"),
            region=text_of(address, "stateOrProvince"),
            postalCode=text_of(address, "postalCode"),
        )
        if item is not None:
            yield item
    programs = texts_of(element, "programList/program")
    if not programs:
        raise ListLoadError(source, where(element), f"entry {uid} has no program")
    yield from oc.sanctions(party, programs, provisions, uid)
    yield party


def _akas(party: EntityProxy, akas: list[Element]) -> None:
    for aka in akas:
        prop = _AKA_PROPS.get((text_of(aka, "type") or "").lower(), "alias")
        if prop == "alias" and (text_of(aka, "category") or "").lower() == "weak":
            prop = "weakAlias"
        oc.person_name(party, text_of(aka, "lastName"), text_of(aka, "firstName"), prop)


def _facts(party: EntityProxy, element: Element) -> None:
    is_person = party.schema.is_a("Person")
    for text in texts_of(element, "dateOfBirthList/dateOfBirthItem/dateOfBirth"):
        b.put_dates(party, "birthDate" if is_person else "incorporationDate", text)
    b.put(
        party,
        "birthPlace" if is_person else "notes",
        texts_of(element, "placeOfBirthList/placeOfBirthItem/placeOfBirth"),
    )
    for path, prop in (
        ("nationalityList/nationality/country", "nationality"),
        ("citizenshipList/citizenship/country", "citizenship"),
    ):
        for country in texts_of(element, path):
            code = b.country_code(country)
            if code and party.schema.get(prop):
                party.add(prop, code)
            elif code:
                party.add("country", code)
            else:
                party.add("notes", f"{prop}: {country}")


def _vessel(party: EntityProxy, info: Element | None) -> None:
    if info is None:
        return
    for tag, prop in (
        ("callSign", "callSign"),
        ("vesselType", "type"),
        ("vesselFlag", "flag"),
        ("tonnage", "tonnage"),
        ("grossRegisteredTonnage", "grossRegisteredTonnage"),
        ("vesselOwner", "notes"),
    ):
        value = text_of(info, tag)
        b.put(party, prop, f"owner: {value}" if value and prop == "notes" else value)


def _ids(party: EntityProxy, ids: list[Element], provisions: list[str]) -> Iterator[EntityProxy]:
    for element in ids:
        label = text_of(element, "idType") or "identifier"
        number = text_of(element, "idNumber")
        if label.lower().startswith(oc.PROVISION_PREFIXES):
            provisions.append(f"{label} {number or ''}".strip())
            continue
        doc = b.identifier(
            party,
            label,
            number,
            country=text_of(element, "idCountry"),
            issued=text_of(element, "issueDate"),
            expires=text_of(element, "expirationDate"),
        )
        if doc is not None:
            yield doc
