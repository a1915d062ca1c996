"""`jalur trace --hops N` grows the accounts money can reach one hop per SQL step: it took all
N steps even after the reach stopped growing, so `--hops 1000000000` ran a billion steps (no
answer after minutes on a 20,000-payment workspace) where `--hops 50` took 1.7 s. The reach
now stops at its fixed point, with the same payments found (new-user trial, round 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitoring_builders import at, load, pay

from jalur.config import Settings
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.monitoring.reach import reachable_payments
from jalur.monitoring.staging import stage
from jalur.store import Store


class CountingEngine(DuckDBEngine):
    """A DuckDB engine that counts the tables it makes."""

    steps = 0

    def materialize(self, name: str, sql: str, params: Any = None) -> None:
        self.steps += 1
        super().materialize(name, sql, params)


def test_reach_stops_growing_and_finds_the_same_payments(tmp_path: Path) -> None:
    chain = [pay(f"t{i}", f"A{i}", f"A{i + 1}", at(i), 100.0) for i in range(4)]
    side = [pay("s1", "Z", "A2", at(0), 50.0)]  # into the chain, not reachable from A0
    with Store.open(Settings.resolve(tmp_path)) as store:
        load(store, chain + side)
        engine = CountingEngine(store)
        stage(engine)
        few = reachable_payments(engine, {"A0"}, 6, "down")
        engine.steps = 0
        many = reachable_payments(engine, {"A0"}, 200, "down")
        engine.close()
    assert sorted(many.column("tx_id").to_pylist()) == sorted(few.column("tx_id").to_pylist())
    assert sorted(few.column("tx_id").to_pylist()) == ["s1", "t0", "t1", "t2", "t3"]
    assert engine.steps < 20
