"""Payments from the formats `jalur tx load` reads, as canonical rows, outside any workspace.

A file (or one pacs.008 message) is loaded into a throwaway in-memory store by the
transactions capability's own reader, so the stream reads every format the batch reads, the
same way; records the reader refuses come back with their position and reason — one bad
transaction of a message with several is refused on its own, the others still come back (as
`tx load` quarantines one and loads the rest). A refused ISO 20022 transaction is named by its
message, its place in it and its EndToEndId and UETR, and keeps its own XML.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from jalur.store import Store
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_row
from jalur.transactions import load_transactions, quarantine_rows


@dataclass
class Read:
    """The payments of a source in time order, and the records refused (each a `position`, a
    `reason` and, where the reader kept it, the record's `raw` text)."""

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
            {
                "position": _named(str(q["source_position"]), q["raw"]),
                "reason": q["reason"],
                "raw": q["raw"],
            }
            for q in quarantine_rows(store, limit=1000)
        ]
    return read


#: The references that name one ISO 20022 transaction to the bank that sent it.
_REFERENCES = ("EndToEndId", "UETR")


def _named(position: str, raw: str | None) -> str:
    """The reader's position ("message M transaction 2 (line 40)") with the transaction's
    EndToEndId and UETR, read from its XML, so a refusal names what the sender knows it by."""
    if not raw or not raw.lstrip().startswith("<"):
        return position
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        node = etree.fromstring(raw.encode(), parser)
    except etree.XMLSyntaxError:
        return position
    if node is None:
        return position
    found = []
    for name in _REFERENCES:
        value = node.findtext(f".//{{*}}{name}")
        if value and value.strip():
            found.append(f"{name} {value.strip()[:80]}")
    return f"{position}, {', '.join(found)}" if found else position


def read_message(body: bytes, format: str = "pacs008") -> Read:
    """The payments of one ISO 20022 message given as bytes."""
    with tempfile.TemporaryDirectory(prefix="jalur-message-") as folder:
        path = Path(folder) / "message.xml"
        path.write_bytes(body)
        return read_payments(path, format)
