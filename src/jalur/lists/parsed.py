"""What every list parser returns: the list's name, the version it states, and its entities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy


#: Context key for the list's own id of an entry (UN DATAID, OFAC ent_num).
SOURCE_ID = "source_id"

#: Schemata that are the listed parties themselves (what "entries in the file" counts).
SUBJECT_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
)


@dataclass
class ParsedList:
    """One parsed list file: subjects plus their Sanction, Address, Identification… entities."""

    name: str  # stable list name, e.g. "un-sc", "ofac-sdn"
    format: str  # parser that read it
    published: str | None  # the date the file says it was issued (ISO), when it says
    entities: Iterable[EntityProxy] = field(default_factory=list)


def is_subject(entity: EntityProxy) -> bool:
    return entity.schema.name in SUBJECT_SCHEMATA
