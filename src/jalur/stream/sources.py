"""Payments from the formats `jalur tx load` reads, as canonical rows, outside any workspace.

A file (or one pacs.008 message) is loaded into a throwaway in-memory store by the
transactions capability's own reader, so the stream reads every format the batch reads, the
same way; records the reader refuses come back with their position and reason.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jalur.store import Store
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_row
from jalur.transactions import load_transactions, quarantine_rows


@dataclass
class Read:
    """The payments of a source in time order, and the records refused."""

    payments: list[Payment] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)


def read_payments(path: Path, format: str, mapping: Path | None = None) -> Read:
    """Every payment of `path` read as `format` (pacs008, csv, parquet, mt103, …)."""
    read = Read()
    with Store(":memory:") as store:
        load_transactions(store, path, format, mapping=mapping)
        for row in store.records("SELECT * FROM transactions ORDER BY timestamp, tx_id"):
            try:
                read.payments.append(payment_from_row(row))
            except MalformedPaymentError as exc:
                read.refused.append({"position": exc.record, "reason": exc.reason})
        read.refused += [
            {"position": q["source_position"], "reason": q["reason"]}
            for q in quarantine_rows(store, limit=1000)
        ]
    return read


def read_message(body: bytes, format: str = "pacs008") -> Read:
    """The payments of one ISO 20022 message given as bytes."""
    with tempfile.TemporaryDirectory(prefix="jalur-message-") as folder:
        path = Path(folder) / "message.xml"
        path.write_bytes(body)
        return read_payments(path, format)
