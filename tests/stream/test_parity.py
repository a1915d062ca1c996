"""Parity: the generator's payments streamed one by one raise every alert the batch raises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
from stream_economy import economy_seeds, payments_in_time_order

from jalur.monitoring import detect, load_params
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.store import Store
from jalur.stream import Decider, StateStore, Watch, load_config, payment_from_row, seeds_of


def _batch(economy: Path) -> list[dict[str, object]]:
    with Store(":memory:") as store:
        store.con.register("generated", pq.read_table(economy / "transactions.parquet"))
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM generated")
        engine = DuckDBEngine(store)
        report = detect(engine, load_params(), economy_seeds(economy))
        engine.close()
    return [a.as_dict() for a in report.alerts]


def _stream(economy: Path, state: Path) -> dict[str, dict[str, object]]:
    seeds = seeds_of(economy_seeds(economy))
    decider = Decider(StateStore(state), load_config(), seeds, Watch.of(None))
    rows = payments_in_time_order(economy)
    for start in range(0, len(rows), 500):
        decider.decide_many([payment_from_row(r) for r in rows[start : start + 500]])
    alerts = {str(a["alert_id"]): a for a in decider.state.alerts()}
    decider.close()
    return alerts


def test_every_batch_alert_of_a_streamed_typology_is_raised_by_the_stream(
    economy: Path, tmp_path: Path
) -> None:
    streamed = set(load_config().typologies)
    batch = [a for a in _batch(economy) if a["typology"] in streamed]
    stream = _stream(economy, tmp_path / "state.sqlite")
    missed = [(a["typology"], a["account"]) for a in batch if a["alert_id"] not in stream]
    assert missed == []
    # the planted patterns the batch finds, by typology: the stream has each with the same one
    patterns = pq.read_table(economy / "patterns.parquet").to_pylist()
    found = Counter()
    for pattern in patterns:
        txs = set(pattern["tx_ids"])
        for alert in batch:
            if txs & set(alert["transactions"]):  # type: ignore[arg-type]
                assert stream[str(alert["alert_id"])]["typology"] == alert["typology"]
                found[alert["typology"]] += 1
    # the check covers the windowed, hop and threshold typologies, not only one
    assert {"fan_in", "fan_out", "cycle", "structuring", "scatter_gather"} <= set(found)


def test_drug_money_reaching_a_terror_listed_account_is_found_while_it_moves(
    economy: Path, tmp_path: Path
) -> None:
    stream = _stream(economy, tmp_path / "state.sqlite")
    nexus = [a for a in stream.values() if a["typology"] == "drug_to_terror"]
    patterns = pq.read_table(economy / "patterns.parquet").to_pylist()
    planted = [p for p in patterns if p["type"] == "drug_to_terror"]
    hits = economy_seeds(economy).of("terror")
    for pattern in planted:
        targets = set(pattern["accounts"]) & hits
        if targets:
            assert any(set(a["accounts"]) & targets for a in nexus), pattern["pattern_id"]  # type: ignore[arg-type]
