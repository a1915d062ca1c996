"""The engine seam: what a detector may ask of DuckDB or Spark.

Detectors see only this protocol, so the same detector runs on a laptop's DuckDB file and on
a Spark cluster. Tables move in and out as Arrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pyarrow as pa

Params = Mapping[str, Any]


class Engine(Protocol):
    """Runs DuckDB-dialect SQL (rendered for itself) over named tables."""

    name: str

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable under `name` (replacing any earlier one)."""

    def materialize(self, name: str, sql: str, params: Params | None = None) -> None:
        """Compute `sql` once and keep the result under `name` for later queries."""

    def query(self, sql: str, params: Params | None = None) -> pa.Table:
        """Run `sql` and return its result as Arrow."""

    def drop(self, name: str) -> None:
        """Forget a table made by `register` or `materialize`."""

    def tables(self) -> frozenset[str]:
        """The names of the tables made by `register` or `materialize` and not dropped (so a
        stage shared by several detectors is made once per pass)."""

    def close(self) -> None:
        """Release what the engine holds (temporary tables; not a shared session)."""


class EngineError(RuntimeError):
    """An engine cannot start or cannot see the data it needs."""
