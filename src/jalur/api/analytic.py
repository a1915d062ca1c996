"""The server owns the workspace's analytical store (the DuckDB file) while it runs.

DuckDB lets one process write a file at a time, and a process that holds it can have many
connections. So the server opens the file once, at start, and every request reads through a
connection of its own (a cursor of that database: DuckDB's MVCC gives each a consistent
snapshot, so readers never wait for a writer and never see half a load). Loads and monitoring
runs asked for over the API run inside the server as jobs, one writer at a time (`writer`).
A `jalur` command on the same workspace meanwhile gets the store's clear `WorkspaceInUseError`
("in use by another jalur process"), not a lock trace: while the server runs, batch work goes
through it (or waits until it stops).

Every capability's tables are created once at start (`warm`), so that a reader's
`CREATE TABLE IF NOT EXISTS` never races a writer's transaction. Each request reads inside one
transaction: all its statements see one snapshot (the runs it lists and their alerts agree).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import duckdb

from jalur import exchange, lists, monitoring, screening, transactions
from jalur.config import Settings
from jalur.store import Store, private_files


class CursorStore(Store):
    """A `Store` on one connection of a database the server already holds open.

    A reader's connection is inside a transaction (one snapshot for the whole request), so a
    table it finds missing is created on a connection of its own (`create`), committed, and
    remembered for every connection."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        ensured: set[str],
        path: str,
        create: Callable[[str, Sequence[str]], None] | None = None,
        depth: int = 0,
    ) -> None:
        self.path = path
        self.con = con
        self._ensured = ensured
        self._depth = depth
        self._create = create

    def ensure(self, name: str, ddl: Sequence[str]) -> None:
        if name in self._ensured or self._create is None:
            super().ensure(name, ddl)
            return
        self._create(name, ddl)


class Analytic:
    """The DuckDB file of one workspace, held for the server's life."""

    def __init__(self, settings: Settings) -> None:
        with private_files():
            self._root = Store.open(settings)
        self._ensured: set[str] = set()
        self._cursor_lock = threading.Lock()
        self.write_lock = threading.Lock()
        #: Bumped after every writer: what was read from the store at an older generation may
        #: be stale (`Listings`). Only this process writes the file while the server runs.
        self.generation = 0
        self.warm()

    def warm(self) -> None:
        """Create every capability's tables now, before requests and jobs run concurrently."""
        with self.writer() as store:
            lists.current_versions(store)
            monitoring.alert_rows(store)
            screening.entity_hits(store, "")
            transactions.ensure_tables(store)
            exchange.ensure_log_tables(store)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._cursor_lock:
            return self._root.con.cursor()

    def _create(self, name: str, ddl: Sequence[str]) -> None:
        with self.write_lock:
            con = self._cursor()
            try:
                CursorStore(con, self._ensured, self._root.path).ensure(name, ddl)
            finally:
                con.close()

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A connection of its own for one request, in a transaction: every statement of the
        request sees the same snapshot (a run committed meanwhile is seen by none of them)."""
        con = self._cursor()
        con.execute("BEGIN TRANSACTION")
        try:
            yield CursorStore(con, self._ensured, self._root.path, self._create, depth=1)
        finally:
            con.execute("ROLLBACK")  # a reader changes nothing
            con.close()

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """A connection for a load or a run; writers take turns so two loads never conflict."""
        with self.write_lock:
            con = self._cursor()
            try:
                yield CursorStore(con, self._ensured, self._root.path)
            finally:
                con.close()
                self.generation += 1

    def close(self) -> None:
        self._root.close()
