"""Which payments one store connection sees: all of them, or only those of some loads.

Every payment keeps the id of the load that brought it in (`load_id`; NULL for payments loaded
before loads were written on them, the installation's own). Who may see a load is decided
elsewhere (the service's markings, by load id); here a connection is narrowed to a set of loads
by temporary views named `transactions` and `tx_parties` that shadow the tables for that
connection only. Every reader on the connection (monitoring's detectors and tracing, evidence,
account views, party screening) then sees the same subset without knowing of it, and a reader
that forgets cannot widen it. The views are built from load ids, never from text a user sent.

A DuckDB cursor (`store.con.cursor()`, for reading a large result in batches while the
connection runs other statements) is a connection of its own, and temporary views belong to
the connection that made them: a plain cursor sees every payment. `cursor` gives one narrowed
as its store is.

Writers name the tables themselves (`table_of`): inserting into a view is refused by DuckDB,
so a writer that forgets fails loudly instead of writing somewhere else. The command line is
the installation's own: `own_only` leaves out the loads made through the service for other
agencies. This module sits beside the store (not in `jalur.transactions`) so that every command
can apply it without importing the payments capability.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from jalur.store import Store

#: The loads a narrowed connection sees (a temporary table of that connection).
SCOPE_TABLE = "tx_scope_loads"
#: Whether it sees the unlabelled payments too (one row, a temporary table of that connection).
SCOPE_FLAGS = "tx_scope_unlabelled"


@dataclass(frozen=True)
class PaymentScope:
    """The loads whose payments a connection sees, and whether it sees the unlabelled ones
    (loaded before payments kept their load id: the installation's default agency's)."""

    loads: frozenset[int]
    unlabelled: bool

    @classmethod
    def of(cls, loads: Iterable[int], unlabelled: bool) -> PaymentScope:
        return cls(frozenset(int(load) for load in loads), bool(unlabelled))


def load_ids(store: Store) -> list[int]:
    """Every load the workspace has logged, oldest first (running and failed ones too: a
    running load's payments are already visible to readers of its own agency). The payments'
    tables exist (`jalur.transactions.ensure_tables`)."""
    rows = store.execute("SELECT load_id FROM tx_loads ORDER BY load_id").fetchall()
    return [int(r[0]) for r in rows]


def table_of(store: Store, name: str = "transactions") -> str:
    """The table itself (`transactions`, `tx_parties`), named so no view can shadow it."""
    return _table_of(store.con, name)


def _table_of(con: duckdb.DuckDBPyConnection, name: str) -> str:
    row = con.execute("SELECT current_database()").fetchone()
    database = str(row[0]) if row else "memory"
    return '"' + database.replace('"', '""') + f'".main.{name}'


def restrict(store: Store, scope: PaymentScope) -> None:
    """From now on this connection sees only the payments of `scope` under `transactions`.

    The payments' tables exist (`jalur.transactions.ensure_tables`, which does nothing on a
    narrowed connection: it could not alter the tables by their plain names any more)."""
    _narrow(store.con, scope)


def _narrow(con: duckdb.DuckDBPyConnection, scope: PaymentScope) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SCOPE_TABLE} AS SELECT unnest(?::BIGINT[]) AS load_id",
        [sorted(scope.loads)],
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {SCOPE_FLAGS} AS SELECT ?::BOOLEAN AS unlabelled",
        [scope.unlabelled],
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW transactions AS
            SELECT * FROM {_table_of(con, "transactions")}
            WHERE load_id IN (SELECT load_id FROM temp.main.{SCOPE_TABLE})
               OR (load_id IS NULL
                   AND (SELECT bool_or(unlabelled) FROM temp.main.{SCOPE_FLAGS}))"""
    )
    # A party (one per account, bank and name over every load) is seen when its load is, or
    # its account is on a payment seen: the same account may be another agency's too.
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW tx_parties AS
            SELECT * FROM {_table_of(con, "tx_parties")} p
            WHERE p.first_seen_load IN (SELECT load_id FROM temp.main.{SCOPE_TABLE})
               OR p.account IN (SELECT orig_account FROM temp.main.transactions
                                UNION ALL SELECT bene_account FROM temp.main.transactions)"""
    )


def scope_of(store: Store) -> PaymentScope | None:
    """The scope this connection is narrowed to (None: it sees every payment)."""
    if not restricted(store):
        return None
    loads = store.execute(f"SELECT load_id FROM temp.main.{SCOPE_TABLE}").fetchall()
    flag = store.execute(f"SELECT bool_or(unlabelled) FROM temp.main.{SCOPE_FLAGS}").fetchone()
    return PaymentScope.of((int(r[0]) for r in loads), bool(flag and flag[0]))


def cursor(store: Store) -> duckdb.DuckDBPyConnection:
    """A cursor of the store's connection that sees the payments the store sees.

    For a reader that fetches a large result in batches while the connection does other work
    (a cursor is a connection of its own: `store.con.cursor()` would see every payment)."""
    con = store.con.cursor()
    scope = scope_of(store)
    if scope is not None:
        _narrow(con, scope)
    return con


def own_only(store: Store) -> None:
    """The command line's view: the installation's own payments, without those loaded through
    the service for other agencies (`tx_loads.agency`). A workspace no other agency loaded
    into is left as it is (no view, nothing created: a command that never reads payments
    does not make their tables)."""
    found = store.execute(
        """SELECT count(*) FROM information_schema.columns
           WHERE table_name = 'tx_loads' AND column_name = 'agency'"""
    ).fetchone()
    if not found or not found[0]:
        return
    rows = store.execute("SELECT load_id, agency FROM tx_loads ORDER BY load_id").fetchall()
    if all(agency is None for _, agency in rows):
        return
    restrict(store, PaymentScope.of((int(i) for i, agency in rows if agency is None), True))


def unrestrict(store: Store) -> None:
    """The connection sees every payment again."""
    store.execute("DROP VIEW IF EXISTS temp.main.tx_parties")
    store.execute("DROP VIEW IF EXISTS temp.main.transactions")
    store.execute(f"DROP TABLE IF EXISTS temp.main.{SCOPE_TABLE}")
    store.execute(f"DROP TABLE IF EXISTS temp.main.{SCOPE_FLAGS}")


def restricted(store: Store) -> bool:
    row = store.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = 'transactions'"
    ).fetchone()
    return bool(row and row[0])


def admit(store: Store, load_id: int) -> None:
    """A load in progress on a narrowed connection: its own payments are in its scope (they
    are deduplicated against each other and their parties are read back)."""
    if restricted(store):
        store.execute(f"INSERT INTO temp.main.{SCOPE_TABLE} VALUES (?)", [int(load_id)])
