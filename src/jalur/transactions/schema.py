"""The store tables of the transactions capability, derived from the canonical Arrow schema.

`transactions` has the columns of `jalur.model.TRANSACTION_SCHEMA` (and `load_id`), unique on
`tx_id` among the payments one loader sees: the loader inserts only ids those payments do not
hold yet, inside the chunk's store transaction, and DuckDB lets one process write a workspace at
a time. (An ART primary key would enforce the same but made bulk loads slower; see
docs/transactions.md.) Each payment also keeps its `load_id` (NULL for payments loaded before
it was kept): the key of its marking in the service and of `scope`. Records that
cannot become a canonical payment go to `tx_quarantine` with where they were and why; every
load is logged in `tx_loads` so an interrupted load is visible and its rerun explains itself.
"""

from __future__ import annotations

import pyarrow as pa

from jalur.model import TRANSACTION_SCHEMA
from jalur.scope import restricted
from jalur.store import Store

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
}

#: Canonical column names in schema order.
COLUMNS: list[str] = TRANSACTION_SCHEMA.names


def duck_type(field: pa.Field) -> str:
    return _DUCK_TYPES[field.type]


def _transactions_ddl() -> str:
    columns = []
    for field in TRANSACTION_SCHEMA:
        suffix = "" if field.nullable else " NOT NULL"
        columns.append(f"{field.name} {duck_type(field)}{suffix}")
    return "CREATE TABLE IF NOT EXISTS transactions (\n    " + ",\n    ".join(columns) + "\n)"


#: Columns added to TRANSACTION_SCHEMA after workspaces were made: added to older tables.
_ADDED = ("amount_received", "currency_received")

DDL = [
    _transactions_ddl(),
    *(
        f"ALTER TABLE transactions ADD COLUMN IF NOT EXISTS {name} "
        f"{duck_type(TRANSACTION_SCHEMA.field(name))}"
        for name in _ADDED
    ),
    # The load that brought each payment in: not canonical (packages and exports leave it out),
    # older rows keep NULL (the installation's own payments).
    "ALTER TABLE transactions ADD COLUMN IF NOT EXISTS load_id BIGINT",
    "CREATE SEQUENCE IF NOT EXISTS tx_load_seq START 1",
    """CREATE TABLE IF NOT EXISTS tx_loads (
        load_id BIGINT PRIMARY KEY,
        source_file VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,          -- running, complete, failed
        chunks BIGINT NOT NULL DEFAULT 0, -- chunks committed so far
        read BIGINT NOT NULL DEFAULT 0,
        accepted BIGINT NOT NULL DEFAULT 0,
        rejected BIGINT NOT NULL DEFAULT 0,
        duplicates BIGINT NOT NULL DEFAULT 0,
        error VARCHAR
    )""",
    # The agency a load is for when it is not the installation's own (NULL: the command line's
    # and the default agency's loads): what the command line leaves out (`scope.own_only`).
    "ALTER TABLE tx_loads ADD COLUMN IF NOT EXISTS agency VARCHAR",
    # A mapped statement's balance and total lines, counted apart (not records: not `read`).
    "ALTER TABLE tx_loads ADD COLUMN IF NOT EXISTS footers BIGINT DEFAULT 0",
    """CREATE TABLE IF NOT EXISTS tx_quarantine (
        load_id BIGINT NOT NULL,
        source_file VARCHAR NOT NULL,
        source_position VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        raw VARCHAR,
        quarantined_at TIMESTAMPTZ NOT NULL
    )""",
    # The references the sender knows a quarantined record by (ISO 20022 EndToEndId, UETR):
    # fields of their own, not part of `source_position`, which is the quarantine's duplicate
    # key and a payment's provenance, so a file quarantined before these were kept is
    # recognised when it is loaded again. Older rows keep NULL.
    "ALTER TABLE tx_quarantine ADD COLUMN IF NOT EXISTS end_to_end_id VARCHAR",
    "ALTER TABLE tx_quarantine ADD COLUMN IF NOT EXISTS uetr VARCHAR",
    """CREATE TABLE IF NOT EXISTS tx_parties (
        party_id VARCHAR PRIMARY KEY,     -- FtM id of the BankAccount holder entity
        account VARCHAR,
        bank VARCHAR,
        name VARCHAR,
        country VARCHAR,
        identifier VARCHAR,
        address VARCHAR,
        first_seen_load BIGINT NOT NULL
    )""",
]


def ensure_tables(store: Store) -> None:
    """The tables, made or brought up to date; a connection narrowed to some loads (`scope`)
    was narrowed after they were, and its `transactions` is a view no DDL may touch."""
    if not restricted(store):
        store.ensure("transactions", DDL)
