"""DuckDB engine: the default, running inside the workspace's own store connection."""

from __future__ import annotations

import pyarrow as pa

from jalur.monitoring.engines.base import Params
from jalur.monitoring.engines.params import bound, quoted
from jalur.monitoring.engines.sql import Dialect
from jalur.store import Store

#: DuckDB is the dialect detectors are written in; only the macros need expanding.
DUCKDB = Dialect(
    name="duckdb",
    sqlglot_dialect="duckdb",
    macros={"epoch_seconds": "CAST(FLOOR(EPOCH({0})) AS BIGINT)"},
)


class DuckDBEngine:
    """Runs detectors on the store's DuckDB connection, with temporary tables for stages."""

    name = "duckdb"

    def __init__(self, store: Store) -> None:
        self.store = store
        self._made: set[str] = set()
        store.con.execute("SET enable_progress_bar = false")

    def register(self, name: str, table: pa.Table) -> None:
        view = f"_arrow_{name}"
        self.store.con.register(view, table)
        self.store.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {quoted(name, 'duckdb')} AS "
            f"SELECT * FROM {quoted(view, 'duckdb')}"
        )
        self.store.con.unregister(view)
        self._made.add(name)

    def materialize(self, name: str, sql: str, params: Params | None = None) -> None:
        rendered = DUCKDB.render(sql)
        self.store.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {quoted(name, 'duckdb')} AS {rendered}",
            bound(sql, params),
        )
        self._made.add(name)

    def query(self, sql: str, params: Params | None = None) -> pa.Table:
        return self.store.con.execute(DUCKDB.render(sql), bound(sql, params)).to_arrow_table()

    def drop(self, name: str) -> None:
        self.store.con.execute(f"DROP TABLE IF EXISTS {quoted(name, 'duckdb')}")
        self._made.discard(name)

    def tables(self) -> frozenset[str]:
        return frozenset(self._made)

    def close(self) -> None:
        for name in sorted(self._made):
            self.drop(name)
