"""One listed entity as an analyst reads it: every name in every script, birth dates,
nationalities, identifiers, the sanctions that list it (programme and legal basis) and every
list version it appeared in.

`entity_profile` reads what the lists hold; `jalur entities show` adds the screening hits.
An entity that no current version lists any more (removed) is still shown, from the newest
version that held it, marked `removed`: a case may cite it.
"""

from __future__ import annotations

import json
from typing import Any

from followthemoney.proxy import EntityProxy
from rigour.text.scripts import text_scripts

from jalur.lists.store import _pointing_at, ensure_tables, entity_entries
from jalur.model import entity_from_dict
from jalur.store import Store

#: FtM name properties, strongest first (weak aliases are the lists' own "low quality").
NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "firstName", "middleName",
              "secondName", "lastName", "fatherName")  # fmt: skip
NATIONALITY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
IDENTIFIER_PROPS = ("idNumber", "passportNumber", "taxNumber", "innCode", "ogrnCode",
                    "registrationNumber", "vatCode", "leiCode", "swiftBic", "imoNumber",
                    "socialSecurityNumber", "npwpCode", "nikCode", "uniqueEntityId")  # fmt: skip
#: How the list parsers record a programme's legal basis in a Sanction's `reason`.
LEGAL_BASIS = "Legal basis: "

#: (list name, the entity as listed, the entities of that version pointing at it)
Listing = tuple[str, EntityProxy, list[dict[str, Any]]]


def entity_profile(store: Store, entity_id: str) -> dict[str, Any] | None:
    """Everything the lists say about one entity id; None when no version ever held it."""
    versions = entity_versions(store, entity_id)
    if not versions:
        return None
    entries = entity_entries(store, entity_id)
    listings: list[Listing] = [
        (e["list"], entity_from_dict(e["entity"]), e["related"]) for e in entries
    ] or [_newest_removed(store, entity_id, versions[0])]
    first = listings[0][1]
    return {
        "entity_id": entity_id,
        "caption": first.caption,
        "schema": first.schema.name,
        "status": "listed" if entries else "removed",
        "lists": [
            {
                k: e[k]
                for k in ("list", "version", "version_id", "source_id", "published", "retrieved_at")
            }
            for e in entries
        ],
        "topics": _values(listings, ("topics",)),
        "names": _names(listings),
        "birth_dates": _values(listings, ("birthDate", "incorporationDate")),
        "birth_places": _values(listings, ("birthPlace",)),
        "nationalities": _values(listings, NATIONALITY_PROPS),
        "identifiers": _identifiers(listings),
        "sanctions": _sanctions(listings),
        "versions": versions,
    }


def entity_versions(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Every list version that held the entity, newest first: when it was listed, and where."""
    ensure_tables(store)
    return store.records(
        """SELECT v.list_name AS list, v.version, v.version_id, v.published, v.retrieved_at,
                  e.source_id,
                  v.version_id = (SELECT max(version_id) FROM list_versions w
                                  WHERE w.list_name = v.list_name) AS current
           FROM list_entities e JOIN list_versions v USING (version_id)
           WHERE e.entity_id = ? ORDER BY v.version_id DESC""",
        [entity_id],
    )


def _newest_removed(store: Store, entity_id: str, newest: dict[str, Any]) -> Listing:
    row = store.execute(
        "SELECT data FROM list_entities WHERE entity_id = ? AND version_id = ?",
        [entity_id, newest["version_id"]],
    ).fetchone()
    assert row is not None  # entity_versions found it in this version
    related = _pointing_at(store, int(newest["version_id"]), entity_id)
    return str(newest["list"]), entity_from_dict(json.loads(row[0])), related


def _values(listings: list[Listing], props: tuple[str, ...]) -> list[str]:
    """Distinct values of some properties across every list's record, in first-seen order."""
    seen: dict[str, None] = {}
    for _, entity, _ in listings:
        for prop in props:
            if prop in entity.schema.properties:
                seen.update(dict.fromkeys(entity.get(prop, quiet=True)))
    return list(seen)


def _names(listings: list[Listing]) -> list[dict[str, Any]]:
    """Each name once, with the property that holds it, its scripts and the lists giving it."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for list_name, entity, _ in listings:
        for prop in NAME_PROPS:
            if prop not in entity.schema.properties:
                continue
            for value in entity.get(prop, quiet=True):
                entry = found.setdefault(
                    (prop, value),
                    {"name": value, "property": prop,
                     "scripts": sorted(text_scripts(value)), "lists": []},
                )  # fmt: skip
                if list_name not in entry["lists"]:
                    entry["lists"].append(list_name)
    return list(found.values())


def _identifiers(listings: list[Listing]) -> list[dict[str, Any]]:
    """Identifier properties of the entity and its Identification/Passport records."""
    found: list[dict[str, Any]] = []
    for list_name, entity, related in listings:
        for prop in IDENTIFIER_PROPS:
            if prop in entity.schema.properties:
                found += [
                    {"type": prop, "number": v, "country": None, "list": list_name}
                    for v in entity.get(prop, quiet=True)
                ]
        for data in related:
            other = entity_from_dict(data)
            if other.schema.is_a("Identification"):
                found += [
                    {"type": ", ".join(other.get("type")) or other.schema.name, "number": number,
                     "country": ", ".join(other.get("country")) or None, "list": list_name}
                    for number in other.get("number")
                ]  # fmt: skip
    return _distinct(found, ("type", "number", "country"))


def _sanctions(listings: list[Listing]) -> list[dict[str, Any]]:
    """The Sanction records naming the entity: authority, programme, legal basis, dates."""
    found: list[dict[str, Any]] = []
    for list_name, _, related in listings:
        for data in related:
            item = entity_from_dict(data)
            if not item.schema.is_a("Sanction"):
                continue
            reasons = item.get("reason")
            found.append(
                {
                    "list": list_name,
                    "authority": _one(item, "authority"),
                    "program": _one(item, "program"),
                    "program_id": _one(item, "programId"),
                    "legal_basis": [r.removeprefix(LEGAL_BASIS) for r in reasons
                                    if r.startswith(LEGAL_BASIS)],
                    "reasons": [r for r in reasons if not r.startswith(LEGAL_BASIS)],
                    "provisions": item.get("provisions"),
                    "listing_date": _one(item, "listingDate") or _one(item, "startDate"),
                    "source_url": _one(item, "sourceUrl") or _one(item, "programUrl"),
                }
            )  # fmt: skip
    return found


def _one(entity: EntityProxy, prop: str) -> str | None:
    values = entity.get(prop, quiet=True)
    return "; ".join(values) if values else None


def _distinct(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
