"""Small inline listed entities (the smallest data that shows each point) and a screener."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from followthemoney.proxy import EntityProxy

from jalur.model import make_entity
from jalur.screening import Screener, ScreeningConfig, build_index


def listed(
    entity_id: str,
    names: list[str],
    schema: str = "Person",
    topics: tuple[str, ...] = ("sanction",),
    **props: str,
) -> EntityProxy:
    entity = make_entity(schema, entity_id)
    entity.add("name", names[0])
    entity.add("alias", names[1:])
    entity.add("topics", list(topics))
    for prop, value in props.items():
        entity.add(prop, value)
    entity.context["source_id"] = entity_id.upper()
    return entity


Listed = Callable[..., EntityProxy]


@pytest.fixture
def make_listed() -> Listed:
    """Build a listed entity inline: `make_listed("p1", ["NAME", "ALIAS"], birthDate=…)`."""
    return listed


@pytest.fixture
def small_screener() -> Screener:
    entities = [
        listed("p1", ["PATRUSHEV, Nikolai Platonovich", "Патрушев Николай Платонович"],
               birthDate="1951-07-11", nationality="ru"),
        listed("p2", ["Abu Bakar Ba'asyir", "Abu Bakar Bashir"], topics=("crime.terror",),
               birthDate="1938-08-17", nationality="id", passportNumber="A 123456"),
        listed("p3", ["WIRANTO"]),
        listed("p4", ["صدام حسين التكريتي", "Saddam Hussein al-Tikriti"]),
        listed("o1", ["PT Sinar Harapan Abadi"], schema="Organization",
               topics=("crime.traffick.drug",)),
    ]  # fmt: skip
    index = build_index((e, "test-list", e.context["source_id"], e.get("topics")) for e in entities)
    return Screener(index, ScreeningConfig.defaults())
