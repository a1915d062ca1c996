"""The workspace database: one DuckDB file that every capability writes its tables into.

Each capability declares its own tables (DDL next to its code) and calls `Store.ensure`
before use, so the store stays small and knows nothing of lists, payments or cases.
Loads that must be all-or-nothing run inside `Store.transaction`.

The database file is created private (0600): it holds RESTRICTED partner data. DuckDB lets one
process write a file at a time; a second process gets `WorkspaceInUseError`, not a lock trace.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from jalur.config import Settings

_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


class WorkspaceInUseError(Exception):
    """Another process holds the workspace database (DuckDB allows one writing process)."""


class Store:
    """A DuckDB connection to one workspace (`:memory:` for tests)."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.path = str(path)
        self.con = _connect(self.path)
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

    @property
    def in_transaction(self) -> bool:
        """Whether a `transaction` block is open: a cursor (a connection of its own) would not
        see what the block wrote, nor tables it created, until it commits."""
        return self._depth > 0

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run one statement with bound parameters (never paste values into SQL)."""
        return self.con.execute(sql, params or [])

    def records(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts of JSON-safe values (times as ISO text), for evidence and lookups."""
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description or []]
        return [
            {n: json_safe(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()
        ]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside the block are readable by the user only (umask 077).

    The umask is per process: commands hold it for as long as the database is open, because
    DuckDB creates its write-ahead log (`.wal`) later, at the first write.
    """
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    try:
        if path == ":memory:" or Path(path).exists():
            return duckdb.connect(path)
        with private_files():
            return duckdb.connect(path)
    except duckdb.IOException as exc:
        if "Could not set lock" not in str(exc):
            raise
        holder = _LOCK_HOLDER.search(str(exc))
        who = f" (pid {holder.group(1)})" if holder else ""
        raise WorkspaceInUseError(
            f"the workspace {Path(path).parent} is in use by another jalur process{who}; "
            "try again when it finishes"
        ) from exc


def json_safe(value: Any) -> Any:
    """A database value as JSON can hold it: times as ISO text, lists kept, the rest as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
