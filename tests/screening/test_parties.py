"""Payment parties and known customers: screened, stored, re-screened after a list update."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pyarrow as pa
from followthemoney.proxy import EntityProxy

from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA
from jalur.screening import (
    ACCOUNT_HITS_SCHEMA,
    Query,
    Screener,
    ScreeningConfig,
    account_hits,
    rescreen,
    screen_parties,
)
from jalur.screening.store import remember_customers
from jalur.store import Store

Listed = Callable[..., EntityProxy]


def add_transactions(store: Store, parties: list[tuple[str, str, str, str]]) -> None:
    rows = []
    for n, (orig_acc, orig_name, bene_acc, bene_name) in enumerate(parties):
        row = {f.name: None for f in TRANSACTION_SCHEMA}
        row.update(tx_id=f"t{n}", timestamp=datetime(2026, 1, 1, tzinfo=UTC), amount=100.0,
                   currency="IDR", orig_account=orig_acc, orig_name=orig_name,
                   bene_account=bene_acc, bene_name=bene_name)  # fmt: skip
        rows.append(row)
    table = pa.Table.from_pylist(rows, TRANSACTION_SCHEMA)
    store.con.register("incoming", table)
    store.execute("CREATE TABLE transactions AS SELECT * FROM incoming")
    store.con.unregister("incoming")


def test_parties_and_account_hits(store: Store, make_listed: Listed) -> None:
    load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK", "Omar Patek"],
                                                 topics=("crime.terror",))], "inline")  # fmt: skip
    assert account_hits(store).schema == ACCOUNT_HITS_SCHEMA  # empty before any screen
    add_transactions(store, [("ACC1", "Omar Patek", "ACC2", "Siti Rahayu"),
                             ("ACC3", "Budi Santoso", "ACC1", "Umar Patek")])  # fmt: skip
    report = screen_parties(store, Screener.from_store(store))
    assert report.parties == 4  # (ACC1, Omar…), (ACC1, Umar…), ACC2, ACC3
    table = account_hits(store)
    assert table.schema == ACCOUNT_HITS_SCHEMA
    rows = table.to_pylist()
    assert {r["account"] for r in rows} == {"ACC1"}
    assert rows[0]["risk_class"] == "terror" and rows[0]["source_id"] == "U1"
    assert account_hits(store, min_score=1.01).num_rows == 0
    screen_parties(store, Screener.from_store(store))  # a second run replaces, not duplicates
    assert account_hits(store).num_rows == 1


def test_no_transactions_table_means_no_parties(store: Store, make_listed: Listed) -> None:
    load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "inline")
    assert screen_parties(store, Screener.from_store(store)).parties == 0


def test_rescreen_covers_only_added_or_changed_entries(store: Store, make_listed: Listed) -> None:
    first = [make_listed("u1", ["UMAR PATEK"]), make_listed("u2", ["HAMBALI"])]
    load_entities(store, "un-test", first, "v1")
    remember_customers(store, [{"party_id": "c1", "name": "Hambali", "birth_date": None,
                                "country": None, "identifier": None, "schema": None},
                               {"party_id": "c2", "name": "Abu Rusdan", "birth_date": None,
                                "country": None, "identifier": None, "schema": None}])  # fmt: skip
    config = ScreeningConfig.defaults()
    initial = rescreen(store, config)  # first run: the newest version's delta (all added)
    assert {h["party_id"] for h in initial.hits} == {"c1"}
    second = [*first, make_listed("u3", ["ABU RUSDAN"])]
    load_entities(store, "un-test", second, "v2")
    report = rescreen(store, config)
    assert report.screened_against == 1  # only the new entry, not Patek or Hambali
    assert [(h["party_id"], h["entity_id"]) for h in report.hits] == [("c2", "u3")]
    assert rescreen(store, config).screened_against == 0  # nothing new since


def test_rescreen_scores_a_new_entry_as_a_full_screen_would(
    store: Store, make_listed: Listed
) -> None:
    """KIM SONG CHOL is added next to the listed KIM CHOL: a customer called Kim Chol is
    KIM CHOL's namesake, and the new entry only a neighbour (`name_rival`); the re-screen
    must not report it, as the full screen does not."""
    first = [make_listed("k1", ["KIM CHOL"])]
    load_entities(store, "un-test", first, "v1")
    remember_customers(store, [{"party_id": "c1", "name": "Kim Chol", "birth_date": None,
                                "country": None, "identifier": None, "schema": None}])  # fmt: skip
    config = ScreeningConfig.defaults()
    assert {h["entity_id"] for h in rescreen(store, config).hits} == {"k1"}
    load_entities(store, "un-test", [*first, make_listed("k2", ["KIM SONG CHOL"])], "v2")
    full = Screener.from_store(store, config).screen_many([Query("Kim Chol")])[0]
    assert [h.entity.entity_id for h in full] == ["k1"]
    report = rescreen(store, config)
    assert report.screened_against == 1
    assert report.hits == []


def test_rescreen_counts_only_entries_still_listed(store: Store, make_listed: Listed) -> None:
    """An entry added by one version and removed by the next is not screened against."""
    first = [make_listed("u1", ["UMAR PATEK"])]
    load_entities(store, "un-test", first, "v1")
    config = ScreeningConfig.defaults()
    rescreen(store, config)
    load_entities(store, "un-test", [*first, make_listed("u2", ["HAMBALI"])], "v2")
    load_entities(store, "un-test", [*first, make_listed("u3", ["ABU RUSDAN"])], "v3")
    report = rescreen(store, config)
    assert report.screened_against == 1  # ABU RUSDAN; HAMBALI came and went
