"""Engines a monitoring pass runs on: DuckDB (default) and Spark (imported only when used)."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jalur.monitoring.engines.base import Engine, EngineError
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.store import Store

ENGINES = ("duckdb", "spark")


def open_engine(
    kind: str, store: Store, spark: Mapping[str, Any] | None = None, session: Any = None
) -> Engine:
    """An engine with the workspace's payments as its `transactions` table.

    `spark` is the `[monitoring.spark]` table; `session` an existing SparkSession to reuse."""
    if kind == "duckdb":
        _require_transactions(store)
        return DuckDBEngine(store)
    if kind == "spark":
        return _spark_engine(store, dict(spark or {}), session)
    raise EngineError(f"unknown engine {kind!r} (known: {', '.join(ENGINES)})")


def _require_transactions(store: Store) -> None:
    found = store.execute(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'transactions'"
    ).fetchone()
    if not found or not found[0]:
        raise EngineError("no payments in this workspace: load transactions first")


def require_payments(engine: Engine) -> None:
    """Refuse work over no payments: a workspace whose loads accepted none (every record
    quarantined) holds an empty `transactions` table, which passed for payments (the pass
    ran and found nothing, scoring scored no account, with numpy's empty-slice warnings)."""
    if not engine.query("SELECT 1 AS one FROM transactions LIMIT 1").num_rows:
        raise EngineError(
            "no payments in this workspace: load transactions first "
            "(the loads so far accepted none: `jalur tx quarantine` says why)"
        )


def _spark_engine(store: Store, settings: dict[str, Any], session: Any) -> Engine:
    from jalur.monitoring.engines.spark import SparkEngine, spark_session

    if session is None:
        conf = {"spark.master": settings.get("master") or "local[2]", **settings.get("conf", {})}
        session = spark_session(conf)
    engine = SparkEngine(session)
    source = str(settings.get("transactions") or "")
    if not source:
        _require_transactions(store)
        folder = Path(tempfile.mkdtemp(prefix="jalur-spark-"))
        source = str(folder / "transactions.parquet")
        store.con.table("transactions").write_parquet(source)
        engine.scratch = folder
    engine.register_parquet("transactions", source)
    return engine


__all__ = ["ENGINES", "Engine", "EngineError", "open_engine", "require_payments"]
