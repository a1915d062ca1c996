"""What OFAC's XML (`sdnList`) and legacy CSV share: entry types, programmes and remarks.

OFAC packs much of an entry into free-text remarks ("DOB 16 Aug 1960; POB Kudus, Indonesia;
nationality Indonesia; Passport A123 (Indonesia); a.k.a. 'X'; Linked To: Y"). The remark
parser reads the parts it knows (dates, places, nationalities, identifiers via the declarative
identifier table, weak a.k.a.s), turns sanction conditions into Sanction provisions, and keeps
every part it does not understand in the party's notes, so nothing is silently lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from followthemoney.proxy import EntityProxy

from jalur.lists.formats import _build as b
from jalur.lists.formats._reference import identifier_labels, identifier_rule, programme

#: OFAC entry type → FtM schema (the CSV leaves entities' type empty: "-0-").
SCHEMATA = {
    "individual": "Person",
    "entity": "Organization",
    "": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}

_IDENTIFIER_REST = re.compile(
    r"^(?:No\.|#|:|-)?\s*(?P<number>.+?)(?:\s*\((?P<country>[^()]*)\))?"
    r"(?:\s+issued\s+(?P<issued>\d.*?))?(?:\s+expires\s+(?P<expires>\d.*?))?\.?$",
    re.I,
)
_QUOTED = re.compile(r"^'(.*)'\.?$")
PROVISION_PREFIXES = (
    "additional sanctions information",
    "secondary sanctions risk",
    "executive order",
    "transactions prohibited",
    "listing date",
    "effective date",
    "caatsa section",
    "ifca determination",
    "purchase/sales for divestment date",
    "for more information on directives",
)


def list_name_for(path: Path, default: str = "ofac-sdn") -> str:
    """OFAC's SDN and Consolidated (non-SDN) lists share formats; the file name tells them apart."""
    return "ofac-cons" if path.name.lower().startswith("cons") else default


def schema_for(sdn_type: str | None) -> str | None:
    return SCHEMATA.get((sdn_type or "").strip().lower())


def split_programs(text: str | None) -> list[str]:
    """'SDGT] [IRGC' (CSV) or '[SDGT] [IRGC]' → ['SDGT', 'IRGC']."""
    if not text:
        return []
    return [p.strip() for p in re.split(r"\]\s*\[", text.strip().strip("[]")) if p.strip()]


def sanctions(
    party: EntityProxy, programs: Iterable[str], provisions: list[str], source_id: str
) -> list[EntityProxy]:
    """One Sanction per programme; the ent_num is OFAC's own id of the designation."""
    return [
        b.sanction(party, programme("ofac", code), provisions=provisions, authority_id=source_id)
        for code in programs
    ]


def person_name(
    party: EntityProxy, last: str | None, first: str | None, prop: str = "name"
) -> None:
    """OFAC names are 'LAST, First' for individuals; the full name is 'First LAST'."""
    full = " ".join(p for p in (first, last) if p)
    if not full:
        return
    party.add(prop, full)
    if prop == "name" and party.schema.is_a("Person"):
        party.add("firstName", first)
        party.add("lastName", last)


def split_csv_name(text: str, is_person: bool) -> tuple[str | None, str | None]:
    """'HANIYA, Ismail Abdul Salah' → ('HANIYA', 'Ismail Abdul Salah') for individuals."""
    if is_person and ", " in text:
        last, first = text.split(", ", 1)
        return last, first
    return text, None


def apply_remarks(party: EntityProxy, remarks: str | None) -> tuple[list[EntityProxy], list[str]]:
    """Read OFAC remarks into the party; returns identity documents and sanction provisions."""
    documents: list[EntityProxy] = []
    provisions: list[str] = []
    for part in _parts(remarks):
        kept = _remark(party, part, documents, provisions)
        if not kept:
            party.add("notes", part)
    return documents, provisions


def _parts(remarks: str | None) -> list[str]:
    if not remarks:
        return []
    return [p.strip() for p in remarks.split(";") if p.strip() and p.strip() != "-0-"]


def _remark(
    party: EntityProxy, part: str, documents: list[EntityProxy], provisions: list[str]
) -> bool:
    text = part[5:] if part.lower().startswith("alt. ") else part
    lower = text.lower()
    for prefix, prop in (
        ("dob ", "birthDate"),
        ("pob ", "birthPlace"),
        ("nationality ", "nationality"),
        ("citizen ", "citizenship"),
    ):
        if lower.startswith(prefix) and party.schema.get(prop):
            _person_fact(party, prop, text[len(prefix) :])
            return True
    for prefix, prop in (
        ("a.k.a. ", "weakAlias"),
        ("f.k.a. ", "previousName"),
        ("n.k.a. ", "alias"),
    ):
        if lower.startswith(prefix):
            found = _QUOTED.match(text[len(prefix) :].strip())
            party.add(prop, found.group(1) if found else text[len(prefix) :].strip())
            return True
    if lower.startswith("linked to: "):
        party.add("notes", text)
        return True
    if lower.startswith(PROVISION_PREFIXES):
        provisions.append(text.rstrip("."))
        return True
    return _identifier(party, text, documents)


def _person_fact(party: EntityProxy, prop: str, value: str) -> None:
    value = value.strip().rstrip(".")
    if prop == "birthDate":
        b.put_dates(party, prop, value)
    elif prop in ("nationality", "citizenship"):
        code = b.country_code(value)
        if code:
            party.add(prop, code)
        else:
            party.add("notes", f"{prop}: {value}")
    else:
        party.add(prop, value)


def _identifier(party: EntityProxy, text: str, documents: list[EntityProxy]) -> bool:
    lower = text.lower()
    for label in identifier_labels():
        if not lower.startswith(label) or len(lower) == len(label):
            continue
        if lower[len(label)] not in " .:#-":
            continue
        found = _IDENTIFIER_REST.match(text[len(label) :].strip(" .:"))
        if not found or identifier_rule(label) is None:
            return False
        doc = b.identifier(
            party,
            text[: len(label)],
            found.group("number"),
            country=found.group("country"),
            issued=found.group("issued"),
            expires=found.group("expires"),
        )
        if doc is not None:
            documents.append(doc)
        return True
    return False
