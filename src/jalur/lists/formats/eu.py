"""EU consolidated financial sanctions list (FSF XML, root `export`, schema 1.1).

Each `sanctionEntity` becomes a Person (subjectType person) or Organization (enterprise) with id
`eu-<logicalId>`. Names come from `nameAlias` (wholeName or its parts; `strong="false"` → weak
alias; names in other scripts keep their language), `birthdate` gives full or partial dates and
places, `citizenship` nationalities, `identification` documents, `address` addresses, and each
`regulation` one Sanction (programme code, Official Journal reference as legal basis, dates).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import _build as b
from jalur.lists.formats._reference import identifier_rule, programme
from jalur.lists.formats._xml import (
    Element,
    parse_xml,
    read_entries,
    texts_of,
    warn_strays,
    where,
)
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

LIST_NAME = "eu-fsf"
_SCHEMATA = {"person": "Person", "p": "Person", "enterprise": "Organization", "e": "Organization"}


def parse(path: Path, options: ParseOptions) -> ParsedList:
    root = parse_xml(path, options.encoding)
    if root.tag != "export":
        raise ListLoadError(str(path), where(root), "not an EU financial sanctions export")
    published = (root.get("generationDate") or "")[:10] or None
    warn_strays(str(path), root, {"sanctionEntity", "globalFileMetadata"})
    entities = read_entries(str(path), root.iterfind("sanctionEntity"), _entry, _logical_id)
    return ParsedList(options.list_name or LIST_NAME, "eu", published, entities)


def _attr(element: Element, name: str) -> str | None:
    value = element.get(name)
    return " ".join(value.split()) if value and value.strip() else None


def _logical_id(element: Element) -> str | None:
    logical_id = _attr(element, "logicalId")
    return f"logicalId {logical_id}" if _is_number(logical_id) else None


def _is_number(text: str | None) -> bool:
    """The FSF schema's logicalId is a number; the entity id (`eu-<logicalId>`) is made of it,
    so anything else (`../../etc`, a bidi override) is refused, as the UN's DATAID is."""
    return text is not None and text.isascii() and text.isdigit()


def _entry(source: str, element: Element) -> Iterator[EntityProxy]:
    logical_id = _attr(element, "logicalId")
    if not logical_id:
        raise ListLoadError(source, where(element), "sanctionEntity without a logicalId")
    if not _is_number(logical_id):
        raise ListLoadError(
            source, where(element), f"logicalId {logical_id[:40]!r} is not a number"
        )
    kind = element.find("subjectType")
    code = (
        (_attr(kind, "code") or _attr(kind, "classificationCode") or "") if kind is not None else ""
    )
    schema = _SCHEMATA.get(code.lower())
    if schema is None:
        raise ListLoadError(source, where(element), f"unknown subjectType {code!r}")
    party = b.subject(schema, f"eu-{logical_id}", logical_id)
    b.put(party, "notes", texts_of(element, "remark"))
    _names(party, element.findall("nameAlias"))
    for birth in element.findall("birthdate"):
        _birth(party, birth)
    for citizenship in element.findall("citizenship"):
        _country(party, "nationality", citizenship)
    for node in element.findall("identification"):
        doc = b.identifier(
            party,
            _id_label(node),
            _attr(node, "number") or _attr(node, "latinNumber"),
            country=_attr(node, "countryDescription") or _attr(node, "countryIso2Code"),
            issued=_attr(node, "issueDate"),
            note="; ".join(texts_of(node, "remark") + _doc_flags(node)) or None,
        )
        if doc is not None:
            doc.add("authority", _attr(node, "issuedBy"))
            doc.add("type", _attr(node, "identificationTypeDescription"))
            yield doc
    for node in element.findall("address"):
        item = b.address(
            party,
            country=_attr(node, "countryDescription") or _attr(node, "countryIso2Code"),
            street=_attr(node, "street"),
            city=_attr(node, "city"),
            region=_attr(node, "region"),
            postalCode=_attr(node, "zipCode"),
            remarks="; ".join(texts_of(node, "remark")) or None,
        )
        if item is not None:
            yield item
    yield from _sanctions(source, party, element)
    yield party


def _names(party: EntityProxy, aliases: list[Element]) -> None:
    for alias in aliases:
        whole = _attr(alias, "wholeName") or " ".join(
            p for p in (_attr(alias, k) for k in ("firstName", "middleName", "lastName")) if p
        )
        if not whole:
            continue
        strong = (alias.get("strong") or "true").lower() != "false"
        prop = "name" if not party.has("name") else ("alias" if strong else "weakAlias")
        party.add(prop, whole)
        if party.schema.is_a("Person"):
            b.put(party, "title", _attr(alias, "title"))
            b.put(party, "position", _attr(alias, "function"))
            b.put(party, "gender", {"M": "male", "F": "female"}.get(alias.get("gender") or ""))
            if prop == "name":
                b.put(party, "firstName", _attr(alias, "firstName"))
                b.put(party, "middleName", _attr(alias, "middleName"))
                b.put(party, "lastName", _attr(alias, "lastName"))


def _birth(party: EntityProxy, node: Element) -> None:
    date = _attr(node, "birthdate")
    if not date:
        parts = [_attr(node, k) for k in ("year", "monthOfYear", "dayOfMonth")]
        known = [p for p in parts if p and p.isdigit()]
        date = "-".join(p.zfill(2) if i else p for i, p in enumerate(known)) or None
    prefix = "circa " if (node.get("circa") or "").lower() == "true" else ""
    prop_date, prop_place = (
        ("birthDate", "birthPlace")
        if party.schema.is_a("Person")
        else ("incorporationDate", "notes")
    )
    b.put_dates(party, prop_date, prefix + date if date else None)
    place = ", ".join(
        p
        for p in (_attr(node, k) for k in ("place", "city", "region", "countryDescription"))
        if p and p != "UNKNOWN"
    )
    b.put(party, prop_place, place or None)


def _country(party: EntityProxy, prop: str, node: Element) -> None:
    text = _attr(node, "countryDescription")
    code = b.country_code(text) or b.country_code(_attr(node, "countryIso2Code"))
    if code and party.schema.get(prop):
        party.add(prop, code)
    elif code:
        party.add("country", code)
    elif text and text != "UNKNOWN":
        party.add("notes", f"{prop}: {text}")


def _id_label(node: Element) -> str:
    """The type code when jalur knows it ("passport", "id", "tax"…), else its description."""
    code = _attr(node, "identificationTypeCode")
    if code and identifier_rule(code):
        return code
    return _attr(node, "identificationTypeDescription") or code or "other"


def _doc_flags(node: Element) -> list[str]:
    flags = ("diplomatic", "knownExpired", "knownFalse", "reportedLost", "revokedByIssuer")
    return [flag for flag in flags if (node.get(flag) or "").lower() == "true"]


def _sanctions(source: str, party: EntityProxy, element: Element) -> Iterator[EntityProxy]:
    regulations = element.findall("regulation")
    if not regulations:
        raise ListLoadError(source, where(element), "sanctionEntity without a regulation")
    for node in regulations:
        regime = programme("eu", _attr(node, "programme") or "EU")
        item = b.sanction(
            party,
            regime,
            listing_date=_attr(node, "publicationDate") or _attr(element, "designationDate"),
            reason=_attr(element, "designationDetails"),
            authority_id=_attr(element, "euReferenceNumber"),
            unsc_id=_attr(element, "unitedNationId"),
        )
        b.put(
            item,
            "reason",
            f"Regulation {_attr(node, 'numberTitle')}" if _attr(node, "numberTitle") else None,
        )
        b.put_dates(item, "startDate", _attr(node, "entryIntoForceDate"))
        b.put(item, "sourceUrl", texts_of(node, "publicationUrl"))
        item.id = b.child_id(party, "sanction", regime.code, _attr(node, "logicalId"))
        yield item
