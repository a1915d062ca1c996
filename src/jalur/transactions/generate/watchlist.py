"""Which listed parties the synthetic economy contains, so screening and monitoring meet.

With watchlists loaded, the generator takes terror- and drug-topic entities from the workspace's
current lists (`jalur.lists.current_entities`); otherwise it uses a small built-in pool of
fictional entries whose ids start with `jalur-demo-`. The chosen entity ids are written to
accounts.parquet so a screening run can be scored against them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jalur.model import RiskClass, risk_class
from jalur.store import Store

_SCHEMATA = {"Person", "Organization", "Company", "LegalEntity"}


@dataclass(frozen=True)
class Listed:
    """A listed party the generator can plant (terror or drug class)."""

    entity_id: str
    schema: str  # Person or Organization
    names: tuple[str, ...]
    risk: RiskClass
    country: str | None
    birth_date: str | None


BUILTIN = [
    Listed(
        "jalur-demo-1",
        "Person",
        ("Abdul Rahman Saleh", "Abu Salman"),
        RiskClass.TERROR,
        "ID",
        "1975-03-14",
    ),
    Listed("jalur-demo-2", "Person", ("Rusdi Hamzah",), RiskClass.TERROR, "ID", "1969-11-02"),
    Listed(
        "jalur-demo-3",
        "Person",
        ("Исаев Магомед Русланович", "Magomed Isaev"),
        RiskClass.TERROR,
        "RU",
        "1984-07-21",
    ),
    Listed(
        "jalur-demo-4",
        "Person",
        ("Юсупов Ахмед", "Akhmed Yusupov"),
        RiskClass.TERROR,
        "RU",
        "1990-01-09",
    ),
    Listed("jalur-demo-5", "Organization", ("Yayasan Amal Ummah",), RiskClass.TERROR, "ID", None),
    Listed(
        "jalur-demo-6", "Person", ("Hendra Gunawan Siregar",), RiskClass.DRUG, "ID", "1972-05-30"
    ),
    Listed(
        "jalur-demo-7",
        "Person",
        ("Белова Оксана", "Oksana Belova"),
        RiskClass.DRUG,
        "RU",
        "1981-09-17",
    ),
]


def listed_parties(store: Store | None) -> tuple[list[Listed], str]:
    """Terror/drug parties from the workspace's lists, else the built-in pool; and which."""
    if store is None:
        return BUILTIN, "built-in"
    from jalur.lists import current_entities

    found = []
    for entity in current_entities(store, subjects_only=True):
        risk = risk_class(entity.get("topics"))
        if risk not in (RiskClass.TERROR, RiskClass.DRUG) or entity.schema.name not in _SCHEMATA:
            continue
        names = tuple(entity.get("name") + entity.get("alias"))
        if not names or entity.id is None:
            continue
        schema = "Person" if entity.schema.name == "Person" else "Organization"
        countries = entity.get("country") + entity.get("nationality", quiet=True)
        dates = entity.get("birthDate", quiet=True)
        country = countries[0] if countries else None
        found.append(Listed(entity.id, schema, names, risk, country, dates[0] if dates else None))
    if not found:
        return BUILTIN, "built-in"
    found.sort(key=lambda item: item.entity_id)
    return found, "workspace list"


def choose(
    parties: list[Listed],
    risk: RiskClass,
    count: int,
    rng: np.random.Generator,
    schema: str | None = None,
) -> list[Listed]:
    """Up to `count` parties of one class (repeating when the lists have fewer)."""
    pool = [p for p in parties if p.risk == risk and (schema is None or p.schema == schema)]
    if not pool:
        return []
    picks = rng.choice(len(pool), size=count, replace=count > len(pool))
    return [pool[int(i)] for i in picks]
