"""The features are the same on Spark as on DuckDB: one SQL, rendered for each engine."""

from __future__ import annotations

import numpy as np
import pytest
from risk_builders import account_a, at, economy, load, pay

from jalur.monitoring import open_engine
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.risk import RiskContext, account_features, alerts_table

pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from jalur.monitoring.engines.spark import spark_session

    session = spark_session({"spark.sql.shuffle.partitions": "1"})
    yield session
    session.stop()


def test_duckdb_and_spark_compute_the_same_features(store, spark):
    # B pays A back and C repeats an amount to N1: the neighbourhood features are not all 0
    back = [pay("b1", "B", "A", at(1), 40.0), pay("c1", "C", "N1", at(4), 7.0)]
    back.append(pay("c2", "C", "N1", at(6), 7.0))
    load(store, account_a() + economy(accounts=20, planted=("SMURF",)) + back)
    context = RiskContext(alerts=alerts_table([("A", "cycle", "subject", 0.7)]))
    on_duckdb_engine = DuckDBEngine(store)
    on_duckdb = account_features(on_duckdb_engine, context)
    on_duckdb_engine.close()
    on_spark_engine = open_engine("spark", store, session=spark)
    on_spark = account_features(on_spark_engine, context)
    on_spark_engine.close()
    assert on_spark.accounts == on_duckdb.accounts
    assert on_spark.names == on_duckdb.names
    np.testing.assert_allclose(on_spark.values, on_duckdb.values, rtol=1e-9, atol=1e-9)
