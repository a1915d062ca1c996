"""What screening needs to know about a listed entity, read once from its FtM form.

Names come from `name`, `alias`, `previousName` and `weakAlias` (weak aliases, which the lists
themselves call low quality, are kept but marked); birth dates as FtM writes them (`1965`,
`1965-03`, `1965-03-12`); countries from nationality, citizenship and country; identifiers from
every FtM identifier property, compared on letters and digits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jalur.model import RiskClass, risk_class
from jalur.screening.names import NameKind, kind_of

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

NAME_PROPS = ("name", "alias", "previousName")
WEAK_PROPS = ("weakAlias",)
GIVEN_PROPS = ("firstName", "middleName", "secondName")
FAMILY_PROPS = ("lastName",)
BIRTH_PROPS = ("birthDate", "incorporationDate")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "birthCountry")
ID_PROPS = (
    "idNumber", "passportNumber", "taxNumber", "innCode", "ogrnCode", "registrationNumber",
    "vatCode", "leiCode", "swiftBic", "imoNumber", "socialSecurityNumber", "okpoCode",
    "kppCode", "npwpCode", "nikCode", "uniqueEntityId",
)  # fmt: skip
_ID_RE = re.compile(r"[^0-9A-Z]")


def clean_identifier(value: str) -> str:
    """Compare identifiers on upper-case letters and digits: `A-123 456` equals `a123456`."""
    return _ID_RE.sub("", value.upper())


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """A listed person or organisation as screening sees it."""

    entity_id: str
    list_name: str
    source_id: str | None
    schema: str
    caption: str
    topics: tuple[str, ...]
    risk: RiskClass
    kind: NameKind
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    identifiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name under which an entity is listed, and whether the list calls it weak."""

    text: str
    weak: bool


def listed_entity(
    entity: EntityProxy, list_name: str, source_id: str | None, topics: list[str] | None = None
) -> ListedEntity:
    found_topics = tuple(sorted(topics if topics is not None else _values(entity, ("topics",))))
    return ListedEntity(
        entity_id=str(entity.id),
        list_name=list_name,
        source_id=source_id,
        schema=entity.schema.name,
        caption=entity.caption,
        topics=found_topics,
        risk=_risk(found_topics),
        kind=kind_of(entity.schema.name),
        birth_dates=tuple(sorted(set(_values(entity, BIRTH_PROPS)))),
        countries=frozenset(v.lower() for v in _values(entity, COUNTRY_PROPS)),
        identifiers=frozenset(
            cleaned for v in _values(entity, ID_PROPS) if len(cleaned := clean_identifier(v)) >= 4
        ),
    )


def _risk(topics: tuple[str, ...]) -> RiskClass:
    """Terror or drug when the topics say so; any other listed entry is at least sanctioned."""
    found = risk_class(topics)
    return RiskClass.SANCTION if found is RiskClass.NONE else found


def listed_names(entity: EntityProxy) -> list[ListedName]:
    """Every name of the entity once, strong names first.

    The UN list records some aliases as one value, `Qasim Soleimani; Qasem Sulaimani; …`:
    each is a name of its own.
    """
    seen: set[str] = set()
    names: list[ListedName] = []
    for props, weak in ((NAME_PROPS, False), (WEAK_PROPS, True)):
        for value in _values(entity, props):
            for name in (part.strip() for part in value.split(";")):
                if name and name.casefold() not in seen:
                    seen.add(name.casefold())
                    names.append(ListedName(name, weak))
    return names


def name_parts_of(entity: EntityProxy) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Known given and family names (FtM firstName/middleName, lastName/fatherName…)."""
    given = tuple(_values(entity, GIVEN_PROPS))
    family = tuple(_values(entity, FAMILY_PROPS))
    return given, family


def _values(entity: EntityProxy, props: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for prop in props:
        if prop in entity.schema.properties:
            values.extend(entity.get(prop, quiet=True))
    return values
