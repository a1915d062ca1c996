"""The workspace database: one DuckDB file that every capability writes its tables into.

Each capability declares its own tables (DDL next to its code) and calls `Store.ensure`
before use, so the store stays small and knows nothing of lists, payments or cases.
Loads that must be all-or-nothing run inside `Store.transaction`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from jalur.config import Settings


class Store:
    """A DuckDB connection to one workspace (`:memory:` for tests)."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.path = str(path)
        self.con = duckdb.connect(self.path)
        self._ensured: set[str] = set()
        self._depth = 0

    @classmethod
    def open(cls, settings: Settings) -> Store:
        settings.ensure_home()
        return cls(settings.database_path)

    def ensure(self, name: str, ddl: Sequence[str]) -> None:
        """Create a capability's tables once per connection (statements are idempotent)."""
        if name in self._ensured:
            return
        for statement in ddl:
            self.con.execute(statement)
        self._ensured.add(name)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit when the block ends, roll back when it raises.

        A block inside another joins it: its work commits or rolls back with the outermost
        block, so a capability can put another's all-or-nothing write (a list version, say)
        into its own transaction. An exception must leave the outermost block to undo.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.con
            finally:
                self._depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self.con.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters (never paste values into SQL)."""
        return self.con.execute(sql, params or [])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
