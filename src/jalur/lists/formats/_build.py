"""Building FtM entities for a listed party: the subject, its Sanction, Address, Identification.

Every parser speaks the same vocabulary through these helpers so that a UN, OFAC, EU, UK or
national entry ends up shaped the same way for screening: names and aliases on the subject,
one Sanction per programme (authority, programme, legal basis, listing date, reason), addresses
and identity documents as their own entities linked back to the subject. Ids are derived from
the list's own id so the same entry keeps its id across versions and deltas are real.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from jalur.lists.formats._dates import parse_date
from jalur.lists.formats._reference import Programme, identifier_rule
from jalur.lists.parsed import SOURCE_ID
from jalur.model import make_entity

log = logging.getLogger(__name__)

#: The entry being read ("<file>: <INDIVIDUAL> at line 42, DATAID 6907994"), for warnings about
#: a value kept in notes; None outside `reading` (the CSV readers warn in their own words).
_ENTRY: ContextVar[str | None] = ContextVar("list_entry", default=None)


#: An XML Schema date with its time zone, as the UN writes some LISTED_ON ("2015-04-07-04:00"):
#: the calendar date is the date listed; the zone says nothing more about it.
_ZONED_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$")


@contextmanager
def reading(place: str) -> Iterator[None]:
    """Name the entry being read, so an unusable date in it is a warning naming the entry."""
    token = _ENTRY.set(place)
    try:
        yield
    finally:
        _ENTRY.reset(token)


def subject(schema: str, entity_id: str, source_id: str) -> EntityProxy:
    """A listed party with a stable id and the list's own id in its context."""
    entity = make_entity(schema, entity_id)
    entity.context[SOURCE_ID] = source_id
    return entity


def put(entity: EntityProxy, prop: str, values: str | Iterable[str | None] | None) -> None:
    """Add values that the schema accepts; a value FtM cannot read goes to notes, not lost."""
    if values is None:
        return
    for value in [values] if isinstance(values, str) else values:
        if value is None or not value.strip():
            continue
        text = " ".join(value.split())
        kind = entity.schema.get(prop)
        cleaned = None if kind is None else kind.type.clean(text, proxy=entity)
        if kind is None or cleaned is None:
            entity.add("notes", f"{prop}: {text}", quiet=True)
            continue
        before = entity.get(prop, quiet=True)
        entity.add(prop, text, quiet=True)
        if cleaned not in before and entity.get(prop, quiet=True) == before:
            # FtM refused it (an identifier failing its checksum): keep it readable in notes
            entity.add("notes", f"{prop} (not valid): {text}", quiet=True)


def put_dates(entity: EntityProxy, prop: str, text: str | None) -> None:
    """Partial dates as partial dates; text no date reading understands is kept in notes (and,
    inside `reading`, named in a warning)."""
    if not text:
        return
    text = _ZONED_DATE.sub(r"\1", text.strip())
    dates = parse_date(text)
    if dates:
        put(entity, prop, dates)
        return
    value = " ".join(text.split())
    entity.add("notes", f"{prop}: {value}", quiet=True)
    place = _ENTRY.get()
    if place is not None:  # fail safe: the entry loads, the value is kept, and we say so
        log.warning("%s: %s: %r is no date jalur can read; kept in notes", place, prop, value)


def country_code(text: str | None) -> str | None:
    """ISO code of a country name as lists write it ("Russian Federation" → "ru")."""
    return _country_code(" ".join(text.split())) if text else None


@cache
def _country_code(text: str) -> str | None:
    code = registry.country.clean(text)
    return str(code) if code else None


@cache
def _clean(type_name: str, value: str) -> str | None:
    """Cleaning of values that repeat on every entry (programme URLs): done once per value."""
    cleaned = registry.get(type_name).clean(value)
    return None if cleaned is None else str(cleaned)


def child_id(parent: EntityProxy, kind: str, *parts: str | None) -> str:
    """A stable id for an entity owned by a subject (address, document, sanction)."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return f"{parent.id}-{kind}-{digest[:12]}"


def sanction(
    party: EntityProxy,
    programme: Programme,
    listing_date: str | None = None,
    reason: str | None = None,
    authority_id: str | None = None,
    unsc_id: str | None = None,
    provisions: Iterable[str] = (),
) -> EntityProxy:
    """The Sanction entity of one programme; it also sets the party's topics and programme."""
    item = make_entity("Sanction", child_id(party, "sanction", programme.code))
    item.add("entity", party.id)
    item.add("authority", programme.authority)
    item.add("program", programme.name)
    item.add("programId", programme.code)
    put(item, "provisions", provisions)
    if programme.basis:
        item.add("reason", f"Legal basis: {programme.basis}")
    put(item, "reason", reason)
    put_dates(item, "listingDate", listing_date)
    put(item, "authorityId", authority_id)
    put(item, "unscId", unsc_id)
    if programme.source_url and (url := _clean("url", programme.source_url)):
        item.add("sourceUrl", url, cleaned=True)
    party.add("topics", programme.all_topics)
    party.add("program", programme.name)
    party.add("programId", programme.code)
    return item


def address(
    party: EntityProxy, country: str | None = None, **parts: str | None
) -> EntityProxy | None:
    """An Address entity from its parts (street, city, region, postalCode, full, remarks)."""
    values = {key: " ".join(v.split()) for key, v in parts.items() if v and v.strip()}
    code = country_code(country) or country_code(values.get("full"))
    if not values and not country:
        return None
    full = values.pop("full", None) or ", ".join(
        values[key]
        for key in ("street", "street2", "city", "region", "postalCode")
        if key in values
    )
    full = ", ".join(p for p in (full, country) if p)
    item = make_entity("Address", child_id(party, "addr", full, values.get("remarks")))
    item.add("full", full)
    for key, value in values.items():
        put(item, key, value)
    if code:
        item.add("country", code)
    party.add("addressEntity", item.id)
    party.add("address", full, quiet=True)
    if code:
        party.add("country", code, quiet=True)
    return item


def identifier(
    party: EntityProxy,
    label: str,
    number: str | None,
    country: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
    note: str | None = None,
) -> EntityProxy | None:
    """An identifier by its label on the list: a property on the party and, for identity
    documents, an Identification/Passport entity. Unknown labels are kept in notes."""
    if not number or not number.strip():
        return None
    number = " ".join(number.split())
    code = country_code(country)
    rule = identifier_rule(label)
    if rule is None:
        party.add("notes", f"{label.strip()}: {number}" + (f" ({country})" if country else ""))
        return None
    prop = rule.prop_for(code)
    if prop and rule.date:
        put_dates(party, prop, number)
    elif prop:
        put(party, prop, number)
    if rule.schema is None:
        return None
    doc = make_entity(rule.schema, child_id(party, "id", label, number, code))
    doc.add("holder", party.id)
    doc.add("number", number)
    doc.add("type", rule.type_for(code) or label.strip())
    if code:
        doc.add("country", code)
    put_dates(doc, "startDate", issued)
    put_dates(doc, "endDate", expires)
    put(doc, "summary", note)
    return doc
