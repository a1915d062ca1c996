"""Hand-made payments for the risk tests: small enough to know every feature by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store

EPOCH = datetime(2025, 3, 3, tzinfo=UTC)


def at(day: float, hours: float = 0.0) -> datetime:
    return EPOCH + timedelta(days=day, hours=hours)


def pay(
    tx_id: str, orig: str | None, bene: str | None, when: datetime, amount: float
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(TRANSACTION_SCHEMA.names)
    row.update(tx_id=tx_id, timestamp=when, orig_account=orig, bene_account=bene, amount=amount,
               currency="USD", amount_reporting=amount, channel="wire")  # fmt: skip
    return row


def load(store: Store, rows: list[dict[str, Any]]) -> Store:
    """The store with these payments as its `transactions` table."""
    store.con.register("_payments", pa.Table.from_pylist(rows, schema=TRANSACTION_SCHEMA))
    store.con.execute("CREATE OR REPLACE TABLE transactions AS SELECT * FROM _payments")
    store.con.unregister("_payments")
    return store


def account_a() -> list[dict[str, Any]]:
    """A: two payments to B on one morning, a large one to C, two received (D, E)."""
    return [
        pay("t1", "A", "B", at(0, 10), 100.0),
        pay("t2", "A", "B", at(0, 12), 100.0),
        pay("t3", "A", "C", at(3), 5000.0),
        pay("t4", "D", "A", at(10), 250.0),
        pay("t5", "E", "A", at(20), 9500.0),
    ]


def economy(accounts: int = 60, planted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A ring of ordinary accounts paying similar sums weeks apart, plus the planted
    accounts that split very different sums to one payee several times a day."""
    rows: list[dict[str, Any]] = []
    for i in range(accounts):
        for k in range(4):
            amount = 200.0 + 13.0 * ((i * 7 + k * 3) % 11)
            rows.append(
                pay(f"n{i}-{k}", f"N{i}", f"N{(i + 1 + k) % accounts}", at(7 * k + i % 5), amount)
            )
    for p, name in enumerate(planted):
        for k, amount in enumerate((3.5, 4.0, 900.0, 4200.0, 2.5, 7.0)):
            rows.append(pay(f"p{p}-{k}", name, f"N{p}", at(2, k), amount))
    return rows
