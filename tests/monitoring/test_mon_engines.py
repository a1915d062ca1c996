"""The same pass on DuckDB and on Spark (local mode) gives identical alerts."""

from __future__ import annotations

import shutil

import pytest
from monitoring_builders import load
from monitoring_scenario import hits, scenario

from jalur.monitoring import detect, load_params, open_engine
from jalur.monitoring.engines.sql import Dialect
from jalur.monitoring.seeds import Seeds, best_hits

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    from jalur.monitoring.engines.spark import spark_session

    session = spark_session({"spark.sql.shuffle.partitions": "1"})
    yield session
    session.stop()


def seeds() -> Seeds:
    return Seeds(
        {"terror": frozenset({"CELL"}), "drug": frozenset({"DRUGLORD"})}, best_hits(hits())
    )


#: Fewer iterative steps than the defaults (Spark pays a job per step); same code paths.
SHORT = {
    "cycle": {"max_length": 4, "any_order_max_length": 4},
    "exposure": {"max_hops": 2},
}


def run(engine):
    report = detect(engine, load_params(SHORT), seeds())
    return [a.as_dict() for a in report.alerts], report


def test_duckdb_and_spark_find_identical_alerts(store, spark):
    load(store, scenario())
    duck = open_engine("duckdb", store)
    on_duckdb, report = run(duck)
    duck.close()
    on_spark_engine = open_engine("spark", store, session=spark)
    on_spark, _ = run(on_spark_engine)
    on_spark_engine.close()
    typologies = {a["typology"] for a in on_duckdb}
    assert typologies >= {
        "structuring",
        "amount_anomaly",
        "split_payments",
        "chain",
        "fan_in",
        "fan_out",
        "cycle",
        "scatter_gather",
        "gather_scatter",
        "bipartite",
        "stack",
        "pass_through",
        "cash_funnel",
        "corridor",
        "listed_counterparty",
        "terror_exposure",
        "drug_exposure",
    }
    assert on_spark == on_duckdb
    assert any(a["typology"] == "cycle" and not a["facts"]["ordered"] for a in on_duckdb)
    assert any(a["typology"] == "stack" and a["facts"].get("relays") for a in on_duckdb)
    assert any(a["typology"] == "fan_out" and a["facts"].get("one_off") for a in on_duckdb)
    assert report.payments == len([r for r in scenario() if r["orig_account"]])


def test_macros_are_spelled_per_engine():
    sql = 'SELECT epoch_seconds("timestamp") AS ts FROM transactions'
    duck = Dialect("d", "duckdb", {"epoch_seconds": "CAST(FLOOR(EPOCH({0})) AS BIGINT)"})
    spark = Dialect("s", "spark", {"epoch_seconds": "UNIX_TIMESTAMP({0})"})
    assert "EPOCH(" in duck.render(sql)
    assert "UNIX_TIMESTAMP(`timestamp`)" in spark.render(sql)
