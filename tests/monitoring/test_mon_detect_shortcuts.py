"""The detectors' shortcuts must not change what they find: the binned next-hop join pairs
exactly the payments the plain join pairs, and the half-window bounds keep every window the
exact counts would keep. Random graphs with tied times, equal amounts and ratio boundaries."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from monitoring_builders import at, load, pay

from jalur.monitoring.detectors.hops import hop_params, next_hops
from jalur.monitoring.detectors.windows import (
    BUCKET,
    GRIDS,
    stage_windows,
    window_params,
)
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.monitoring.staging import stage, unstage
from jalur.store import Store

ACCOUNTS = [f"A{i}" for i in range(6)]

payments = st.lists(
    st.tuples(
        st.sampled_from(ACCOUNTS),
        st.sampled_from(ACCOUNTS),
        st.integers(0, 40),  # hours after the start: many ties, windows of 1 to 2 days
        st.sampled_from([100.0, 80.0, 110.0, 79.99, 110.01, 95.0, 50.0, 1000.0, 0.0]),
    ),
    min_size=1,
    max_size=40,
)


def _rows(drawn: list[tuple[str, str, int, float]]) -> list[dict[str, Any]]:
    return [
        pay(f"T{i:03d}", orig, bene, at(0, hours), amount)
        for i, (orig, bene, hours, amount) in enumerate(drawn)
        if orig != bene
    ]


PLAIN = """
SELECT e1.tx_id AS a, e.tx_id AS b FROM mon_edges e1 JOIN mon_edges e ON e.orig = e1.bene
WHERE e.ts >= e1.ts AND e.ts <= e1.ts + $window AND e1.value > 0
  AND e.value >= e1.value * $min_ratio AND e.value <= e1.value * $max_ratio
"""
BINNED = f"""
SELECT e1.tx_id AS a, e.tx_id AS b FROM {next_hops("mon_edges", "e1", "bene", "ts", "value")}
WHERE e.ts >= e1.ts AND e.ts <= e1.ts + $window
  AND e.value >= e1.value * $min_ratio AND e.value <= e1.value * $max_ratio
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=payments,
    ratios=st.sampled_from([(0.8, 1.1), (0.5, 1.1), (0.95, 1.05), (1.0, 1.0), (0.1, 10.0)]),
    hours=st.sampled_from([1, 6, 24, 30]),
)
def test_binned_next_hops_pair_exactly_what_the_plain_join_pairs(drawn, ratios, hours):
    rows = _rows(drawn)
    if not rows:
        return
    with Store(":memory:") as store:
        load(store, rows)
        engine = DuckDBEngine(store)
        stage(engine)
        bind = {"window": hours * 3600, "min_ratio": ratios[0], "max_ratio": ratios[1]}
        bind.update(hop_params(ratios[0], ratios[1], bind["window"]))
        plain = engine.query(PLAIN, bind).to_pylist()
        binned = engine.query(BINNED, bind).to_pylist()
        unstage(engine)
        engine.close()
    key = lambda r: (r["a"], r["b"])  # noqa: E731
    assert sorted(binned, key=key) == sorted(plain, key=key)


EXACT = f"""
SELECT {{side}} AS account, g.grid, {BUCKET} AS bucket FROM mon_edges CROSS JOIN {GRIDS} g
GROUP BY {{side}}, g.grid, {BUCKET}
HAVING COUNT(DISTINCT {{other}}) BETWEEN $min_n AND $max_n
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=payments,
    side=st.sampled_from(["orig", "bene"]),
    limits=st.sampled_from([(1, 1), (2, 3), (2, 60), (3, 4), (5, 5)]),
    window_days=st.sampled_from([0.5, 1.0, 2.0]),
)
def test_window_bounds_keep_every_window_the_exact_count_keeps(drawn, side, limits, window_days):
    rows = _rows(drawn)
    if not rows:
        return
    other = "bene" if side == "orig" else "orig"
    with Store(":memory:") as store:
        load(store, rows)
        engine = DuckDBEngine(store)
        stage(engine)
        bind = {**window_params({"window_days": window_days}), "min_n": limits[0]}
        bind["max_n"] = limits[1]
        exact = engine.query(EXACT.format(side=side, other=other), bind).to_pylist()
        stage_windows(engine, "t_windows", side, bind, limits[0], limits[1])
        bounded = engine.query(
            "SELECT i.account, w.grid, w.bucket FROM t_windows w JOIN mon_ids i ON i.id = w.account"
        ).to_pylist()
        unstage(engine)
        engine.close()
    as_set = lambda rs: {(r["account"], r["grid"], r["bucket"]) for r in rs}  # noqa: E731
    assert as_set(exact) <= as_set(bounded)
