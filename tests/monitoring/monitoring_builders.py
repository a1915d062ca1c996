"""Hand-built payment graphs in TRANSACTION_SCHEMA, small enough to know every answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from jalur.model import TRANSACTION_SCHEMA
from jalur.monitoring import Seeds
from jalur.monitoring.seeds import HITS_SCHEMA
from jalur.store import Store

EPOCH = datetime(2025, 1, 6, tzinfo=UTC)


def at(day: float, hours: float = 0.0) -> datetime:
    """A time `day` days (and `hours` hours) after the first Monday of 2025."""
    return EPOCH + timedelta(days=day, hours=hours)


def pay(
    tx_id: str, orig: str | None, bene: str | None, when: datetime, amount: float, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(TRANSACTION_SCHEMA.names)
    row.update(
        tx_id=tx_id,
        timestamp=when,
        orig_account=orig,
        bene_account=bene,
        amount=amount,
        currency=extra.pop("currency", "USD"),
        amount_reporting=extra.pop("amount_reporting", amount),
        channel=extra.pop("channel", "wire"),
        **extra,
    )
    return row


def table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=TRANSACTION_SCHEMA)


def load(store: Store, rows: list[dict[str, Any]] | pa.Table) -> Store:
    """The store with these payments as its `transactions` table."""
    data = rows if isinstance(rows, pa.Table) else table(rows)
    store.con.register("_payments", data)
    store.con.execute("CREATE OR REPLACE TABLE transactions AS SELECT * FROM _payments")
    store.con.unregister("_payments")
    return store


def background(prefix: str = "BG", n: int = 12) -> list[dict[str, Any]]:
    """Unremarkable payments: a chain of different amounts, days apart, nobody repeats."""
    return [
        pay(f"{prefix}{i}", f"{prefix}-A{i}", f"{prefix}-A{i + 1}", at(i * 3), 100.0 + 37 * i)
        for i in range(n)
    ]


def no_seeds() -> Seeds:
    """No listed or flagged accounts."""
    return Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())
