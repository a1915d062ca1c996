"""Payments and parties by id, for the capabilities that cite them (cases, exchange).

Callers name what they want (tx ids, an account, a party id) and get plain rows (JSON-safe:
times as ISO text) or, for a package, a table in `TRANSACTION_SCHEMA`. Ids the workspace does
not hold are simply absent from the answer; the caller says which were missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from followthemoney.proxy import EntityProxy

from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store
from jalur.transactions.parties import party_row_entities
from jalur.transactions.schema import ensure_tables

_PARTY_COLUMNS = "party_id, account, bank, name, country, identifier, address"


def payments(store: Store, tx_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The payments with these ids, oldest first."""
    if not tx_ids:
        return []
    ensure_tables(store)
    return store.records(
        "SELECT * FROM transactions WHERE tx_id IN (SELECT unnest(?)) ORDER BY timestamp, tx_id",
        [list(tx_ids)],
    )


def payments_table(store: Store, tx_ids: Sequence[str]) -> pa.Table:
    """The same payments as a table in the canonical schema (what a package carries)."""
    ensure_tables(store)
    table = store.execute(
        f"SELECT {', '.join(TRANSACTION_SCHEMA.names)} FROM transactions "
        "WHERE tx_id IN (SELECT unnest(?)) ORDER BY tx_id",
        [list(tx_ids)],
    ).to_arrow_table()
    return table.cast(TRANSACTION_SCHEMA.with_metadata(None))


def account_payments(store: Store, account: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Payments into or out of one account, newest first (at most `limit`)."""
    ensure_tables(store)
    return store.records(
        """SELECT * FROM transactions WHERE orig_account = ? OR bene_account = ?
           ORDER BY timestamp DESC, tx_id LIMIT ?""",
        [account, account, limit],
    )


def account_party(store: Store, account: str) -> dict[str, Any] | None:
    """The party seen holding `account` (the first by party id when several names used it)."""
    ensure_tables(store)
    found = store.records(
        f"SELECT {_PARTY_COLUMNS} FROM tx_parties WHERE account = ? ORDER BY party_id LIMIT 1",
        [account],
    )
    return found[0] if found else None


def party_entities_of(store: Store, party_id: str) -> list[EntityProxy]:
    """A payment party's FtM holder, BankAccount and Ownership (empty when unknown)."""
    ensure_tables(store)
    row = store.execute(
        f"SELECT {_PARTY_COLUMNS} FROM tx_parties WHERE party_id = ?", [party_id]
    ).fetchone()
    return list(party_row_entities(row)) if row else []
