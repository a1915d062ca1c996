"""The payments that concern the selected subjects, from the workspace's `transactions` table.

A payment is related when its originator or beneficiary has one of a subject's names (same
tokens in any order, any script), one of its identifiers, or one of the accounts of the
subject's BankAccount entities. The table belongs to the transactions capability and may not
exist (or may lack columns) in a workspace; then no payments are selected and the caller says so.
"""

from __future__ import annotations

import logging

import pyarrow as pa
from followthemoney.proxy import EntityProxy

from jalur import scope
from jalur.exchange.subjects import identifier_key, name_key, subject_keys
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store

log = logging.getLogger(__name__)
TABLE = "transactions"
_SIDES = ("orig", "bene")
#: SQL mirror of `identifier_key` for ASCII identifiers (upper case, letters and digits only).
_ID_SQL = "regexp_replace(upper({c}), '[^A-Z0-9]', '', 'g')"


def table_columns(store: Store) -> list[str]:
    rows = store.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [TABLE],
    ).fetchall()
    return [r[0] for r in rows]


def related_transactions(store: Store, entities: list[EntityProxy]) -> pa.Table:
    """Payments touching the subjects, as a table in `TRANSACTION_SCHEMA` (maybe empty)."""
    columns = table_columns(store)
    if "tx_id" not in columns:
        log.info("no %s table in this workspace: no payments selected", TABLE)
        return TRANSACTION_SCHEMA.empty_table()
    names, identifiers, accounts = _keys(entities)
    raw_names = _raw_names_matching(store, columns, names)
    clauses: list[str] = []
    params: list[object] = []
    for side in _SIDES:
        for column, values in (
            (f"{side}_name", raw_names),
            (f"{side}_identifier", sorted(identifiers)),
            (f"{side}_account", sorted(accounts)),
        ):
            if column in columns and values:
                expr = column if column.endswith("name") else _ID_SQL.format(c=column)
                clauses.append(f"{expr} IN (SELECT unnest(?))")
                params.append(values)
    if not clauses:
        return TRANSACTION_SCHEMA.empty_table()
    present = [c for c in TRANSACTION_SCHEMA.names if c in columns]
    sql = f"SELECT {', '.join(present)} FROM {TABLE} WHERE {' OR '.join(clauses)} ORDER BY tx_id"
    table = store.execute(sql, params).to_arrow_table()
    return _conform(table)


def _keys(entities: list[EntityProxy]) -> tuple[set[str], set[str], set[str]]:
    names: set[str] = set()
    identifiers: set[str] = set()
    accounts: set[str] = set()
    for entity in entities:
        if entity.schema.is_a("BankAccount"):
            for prop in ("iban", "accountNumber"):
                accounts.update(identifier_key(v) for v in entity.get(prop, quiet=True))
            continue
        keys = subject_keys(entity)
        names.update(" ".join(sorted(tokens)) for tokens in keys.names if len(tokens) > 1)
        identifiers.update(keys.identifiers)
    return names, identifiers, {a for a in accounts if a}


def _raw_names_matching(store: Store, columns: list[str], keys: set[str]) -> list[str]:
    """Distinct party names in the table whose order-free key is a subject's name key."""
    if not keys:
        return []
    found: set[str] = set()
    for side in _SIDES:
        column = f"{side}_name"
        if column not in columns:
            continue
        cursor = scope.cursor(store)
        cursor.execute(f"SELECT DISTINCT {column} FROM {TABLE} WHERE {column} IS NOT NULL")
        while batch := cursor.fetchmany(10000):
            found.update(raw for (raw,) in batch if name_key(raw) in keys)
    return sorted(found)


def _conform(table: pa.Table) -> pa.Table:
    """Fill missing columns with nulls and cast to the canonical schema."""
    arrays = []
    for field in TRANSACTION_SCHEMA:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=TRANSACTION_SCHEMA.with_metadata(None))
