"""The generator: deterministic, labelled, every typology present, listed parties planted."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from jalur.model import TOPIC_DRUG, TOPIC_TERROR, TRANSACTION_SCHEMA, make_entity
from jalur.store import Store
from jalur.transactions import GeneratorConfig, generate, load_transactions

TYPES = {
    "fan_out",
    "fan_in",
    "cycle",
    "scatter_gather",
    "gather_scatter",
    "bipartite",
    "stack",
    "random",
    "drug_to_terror",
    "charity_structuring",
    "cash_mtb",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(GeneratorConfig(transactions=30_000, seed=11, csv=True), out)
    return out


def test_same_seed_same_data_other_seed_other_data(generated: Path, tmp_path: Path) -> None:
    generate(GeneratorConfig(transactions=30_000, seed=11), tmp_path / "again")
    generate(GeneratorConfig(transactions=30_000, seed=12), tmp_path / "other")
    for name in ("transactions", "accounts", "patterns"):
        first = pq.read_table(generated / f"{name}.parquet")
        assert first.equals(pq.read_table(tmp_path / "again" / f"{name}.parquet")), name
    other = pq.read_table(tmp_path / "other" / "transactions.parquet")
    assert not other.equals(pq.read_table(generated / "transactions.parquet"))


def test_canonical_schema_labels_and_pattern_table_agree(generated: Path) -> None:
    table = pq.read_table(generated / "transactions.parquet")
    assert table.schema.equals(TRANSACTION_SCHEMA)
    assert table.num_rows == 30_000
    assert len(table.column("tx_id").unique()) == 30_000
    patterns = pq.read_table(generated / "patterns.parquet").to_pylist()
    assert {p["type"] for p in patterns} == TYPES
    labelled = {
        r["tx_id"]: r["pattern_id"]
        for r in table.filter(table.column("label")).select(["tx_id", "pattern_id"]).to_pylist()
    }
    in_patterns = {tx: p["pattern_id"] for p in patterns for tx in p["tx_ids"]}
    assert labelled == in_patterns and labelled
    accounts = {
        row["account"]
        for row in pq.read_table(generated / "accounts.parquet").select(["account"]).to_pylist()
    }
    assert all(set(p["accounts"]) <= accounts for p in patterns)


def test_economy_has_rhythm_scripts_and_currencies(generated: Path) -> None:
    rows = pq.read_table(
        generated / "transactions.parquet",
        columns=["timestamp", "currency", "orig_name", "channel"],
    ).to_pylist()
    currencies = {r["currency"] for r in rows}
    assert {"IDR", "RUB", "USD", "EUR"} <= currencies
    names = " ".join(r["orig_name"] or "" for r in rows[:5000])
    assert any("а" <= c <= "я" for c in names)  # Cyrillic holders
    weekday = [r["timestamp"].weekday() for r in rows if r["channel"] == "wire"]
    assert weekday.count(6) < weekday.count(1)  # trade pauses on Sundays
    assert {"card", "cash", "wire", "ach"} <= {r["channel"] for r in rows}


def test_builtin_watchlist_pool_without_lists(generated: Path) -> None:
    accounts = pq.read_table(generated / "accounts.parquet").to_pylist()
    planted = [a for a in accounts if a["watchlist_entity_id"]]
    assert planted and all(a["watchlist_entity_id"].startswith("jalur-demo-") for a in planted)
    flagged = (generated / "drug_investigation_accounts.csv").read_text().splitlines()
    assert flagged[0].startswith("account,") and len(flagged) > 1


def test_planted_parties_come_from_loaded_lists(store: Store, tmp_path: Path) -> None:
    from jalur.lists import load_entities

    terrorist = make_entity("Person", "un-test-1")
    terrorist.add("name", "Abu Rusdan")
    terrorist.add("topics", TOPIC_TERROR)
    terrorist.add("country", "id")
    trafficker = make_entity("Person", "ofac-test-2")
    trafficker.add("name", "Сыромолотов Николай")
    trafficker.add("topics", TOPIC_DRUG)
    load_entities(store, "test", [terrorist, trafficker], source="test")
    report = generate(GeneratorConfig(transactions=20_000, seed=5), tmp_path, store)
    assert report["watchlist_source"] == "workspace list"
    accounts = pq.read_table(tmp_path / "accounts.parquet").to_pylist()
    planted = {a["watchlist_entity_id"] for a in accounts if a["watchlist_entity_id"]}
    assert planted == {"un-test-1", "ofac-test-2"}
    names = {a["holder_name"] for a in accounts if a["watchlist_entity_id"] == "ofac-test-2"}
    assert all(not any("а" <= c <= "я" for c in n.lower()) for n in names)  # transliterated


def test_generated_files_load_from_parquet_and_csv(generated: Path, store: Store) -> None:
    first = load_transactions(store, generated / "transactions.parquet", "parquet")
    assert first.as_dict() == {"read": 30_000, "accepted": 30_000, "rejected": 0, "duplicates": 0}
    again = load_transactions(store, generated / "transactions.csv", "csv")
    assert again.as_dict() == {"read": 30_000, "accepted": 0, "rejected": 0, "duplicates": 30_000}
    labelled = store.execute("SELECT count_if(label), count(pattern_id) FROM transactions")
    assert labelled.fetchone()[0] > 0  # type: ignore[index]
