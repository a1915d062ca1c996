"""Inputs that reach SQL-building code, fed hostile values: refused or kept as data, never run.

The exchange import (Parquet column names) and the transactions readers have their own tests;
these cover the other places where a statement is built from something a user or a file
controls: typology settings, list names, selection terms and partner names.
"""

from __future__ import annotations

import pytest

from jalur.config import ConfigError
from jalur.lists import current_entities, load_entities
from jalur.model import make_entity
from jalur.monitoring.params import load_params
from jalur.store import Store

HOSTILE = "x'); DROP TABLE list_entities; --"


@pytest.mark.parametrize(
    "override",
    [
        {"bipartite": {"window_days": HOSTILE}},
        {"bipartite": {"min_shared_payees": 2.5}},  # a table name is built from it
        {"bipartite": {HOSTILE: 1}},
        {"run": {"typologies": [HOSTILE]}},
    ],
)
def test_typology_settings_cannot_carry_sql(override: dict) -> None:
    with pytest.raises(ConfigError):
        load_params(override)


def test_a_whole_number_setting_accepts_a_whole_float() -> None:
    assert (
        load_params({"bipartite": {"min_shared_payees": 3.0}}).of("bipartite")["min_shared_payees"]
        == 3
    )


def test_a_hostile_list_name_and_entity_are_stored_as_data() -> None:
    store = Store()
    entity = make_entity("Person", HOSTILE)
    entity.add("name", HOSTILE)
    load_entities(store, HOSTILE, [entity], source=HOSTILE)
    (back,) = current_entities(store, [HOSTILE])
    assert back.id == HOSTILE and back.caption == HOSTILE
    assert store.execute("SELECT count(*) FROM list_entities").fetchone() == (1,)


@pytest.mark.parametrize(
    "term",
    [f"id:{HOSTILE}", "id:x' OR '1'='1", f"list:{HOSTILE}", "ref:x') OR 1=1 --", "topic:%"],
)
def test_selection_terms_are_values_never_sql(term: str) -> None:
    from jalur.exchange import ExchangeError, select_entities

    store = Store()
    listed = make_entity("Person", "p1")
    listed.add("name", "Abu Rusdan")
    load_entities(store, "dttot", [listed], source="test")
    with pytest.raises(ExchangeError, match=r"no current list subject|unknown offer references"):
        select_entities(store, [term])
    assert store.execute("SELECT count(*) FROM list_entities").fetchone() == (1,)
