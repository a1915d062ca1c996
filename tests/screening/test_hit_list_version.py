"""A stored hit names the version of its own list, numbered as `jalur lists show` numbers it.

`list_version` used to be the newest store-wide `version_id` of any list: a hit on `ofac-test`
version 1 found by the rescreen after `un-test` was loaded a third time read "version 4",
a version that list never had (and `entities show` printed it next to the true "version 1").
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.proxy import EntityProxy
from test_parties import add_transactions

from jalur.lists import load_entities
from jalur.screening import Screener, ScreeningConfig, rescreen, screen_parties
from jalur.screening.store import remember_customers
from jalur.store import Store

Listed = Callable[..., EntityProxy]


def _customer(party_id: str, name: str) -> dict[str, str | None]:
    return {"party_id": party_id, "name": name, "birth_date": None, "country": None,
            "identifier": None, "schema": None}  # fmt: skip


def _stored_versions(store: Store) -> dict[str, int]:
    rows = store.execute("SELECT entity_id, list_version FROM screening_hits").fetchall()
    return dict(rows)


def test_a_rescreen_hit_names_its_own_lists_version(store: Store, make_listed: Listed) -> None:
    load_entities(store, "ofac-test", [make_listed("o1", ["HAMBALI"])], "ofac v1")
    un = [make_listed("u1", ["UMAR PATEK"])]
    load_entities(store, "un-test", un, "un v1")  # store-wide version ids 1 and 2
    remember_customers(store, [_customer("c1", "Hambali"), _customer("c2", "Abu Rusdan")])
    first = rescreen(store, ScreeningConfig.defaults())  # each list's newest delta: o1 too
    assert {(h["entity_id"], h["list_version"]) for h in first.hits} == {("o1", 1)}
    load_entities(store, "un-test", [*un, make_listed("u2", ["ABU RUSDAN"])], "un v2")
    second = rescreen(store, ScreeningConfig.defaults())
    assert [(h["entity_id"], h["list_version"]) for h in second.hits] == [("u2", 2)]
    assert _stored_versions(store) == {"o1": 1, "u2": 2}


def test_a_parties_hit_names_its_own_lists_version(store: Store, make_listed: Listed) -> None:
    load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "un v1")
    load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK", "OMAR PATEK"])], "un v2")
    load_entities(store, "ofac-test", [make_listed("o1", ["HAMBALI"])], "ofac v1")
    add_transactions(store, [("ACC1", "Umar Patek", "ACC2", "Hambali")])
    report = screen_parties(store, Screener.from_store(store))
    assert {(h["entity_id"], h["list_version"]) for h in report.hits} == {("u1", 2), ("o1", 1)}
    assert _stored_versions(store) == {"u1": 2, "o1": 1}
