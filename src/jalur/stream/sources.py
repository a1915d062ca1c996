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
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from jalur.store import Store
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_row
from jalur.transactions import (
    READERS,
    LoadOptions,
    TransactionLoadError,
    load_transactions,
    quarantine_rows,
)


@dataclass
class Read:
    """The payments of a source in time order, and the records refused (each a `position`, a
    `reason` and, where the reader kept it, the record's `raw` text)."""

    payments: list[Payment] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    footers: int = 0  # a statement's balance and total lines: not payments, counted apart


def read_payments(
    path: Path, format: str, mapping: Path | None = None, review: bool = False
) -> Read:
    """Every payment of `path` read as `format` (pacs008, csv, parquet, mt103, …).

    `review`: a record `tx load` quarantines for a reason the decider reviews instead (a
    negative amount, a currency outside ISO 4217, a time out of range: `REVIEWED`) comes back
    as a payment, read from the reader's own record, so the decider screens it and sends it
    for review with the reason, as it does that payment given as JSON."""
    read = Read()
    with Store(":memory:") as store:
        read.footers = load_transactions(store, path, format, mapping=mapping).footers
        for row in store.records("SELECT * FROM transactions ORDER BY timestamp, tx_id"):
            try:
                read.payments.append(payment_from_row(row))
            except MalformedPaymentError as exc:
                read.refused.append({"position": exc.record, "reason": exc.reason})
        quarantined = quarantine_rows(store, limit=1000)
    wanted = {str(q["source_position"]) for q in quarantined if _reviewed(q["reason"])}
    records = _raw_records(path, format, wanted) if review and wanted else {}
    for q in quarantined:
        position = str(q["source_position"])
        if position in records:
            try:
                read.payments.append(payment_from_row(records[position]))
                continue
            except MalformedPaymentError:
                pass  # refused with the loader's reason below
        read.refused.append(
            {"position": _named(position, q["raw"]), "reason": q["reason"], "raw": q["raw"]}
        )
    read.payments.sort(key=lambda p: (p.ts, p.tx_id))
    return read


#: Quarantine reasons (the loader's words) for what the decider reviews rather than refuses:
#: `amount:negative`, `currency:unknown`, `amount:decimals`, and a time before 1900 or after 2200
#: (`timestamp:past`, `timestamp:future`) (docs/realtime.md).
REVIEWED = (
    "negative amount: ", "unknown currency: ", "timestamp out of range: ",
    "amount has more decimals than ",
)  # fmt: skip


def _reviewed(reason: object) -> bool:
    return isinstance(reason, str) and reason.startswith(REVIEWED)


def _raw_records(path: Path, format: str, positions: set[str]) -> dict[str, dict[str, Any]]:
    """The reader's own records at `positions` (canonical field names, text as written)."""
    found: dict[str, dict[str, Any]] = {}
    for part in READERS[format](path, LoadOptions()):
        for chunk in part.chunks():
            if "_pos" not in chunk.table.column_names:
                return found  # a format whose records carry no position text: none to match
            for row in chunk.table.to_pylist():
                if row["_pos"] in positions:
                    found[row["_pos"]] = {k: v for k, v in row.items() if not k.startswith("_")}
    return found


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


#: The ISO 20022 documents the stream decides, by their message element: a bank's payment to
#: another bank and a customer's instruction to its bank (one or more credit transfers each).
MESSAGES = {"FIToFICstmrCdtTrf": "pacs008", "CstmrCdtTrfInitn": "pain001"}

#: Elements read before a message that names none of `MESSAGES` is refused (an AppHdr envelope
#: comes before the document; the message element is the document's first child).
_SNIFF = 200


def read_message(body: bytes, format: str | None = None) -> Read:
    """The payments of one ISO 20022 message given as bytes; `format` None: pacs.008 or
    pain.001, as its message element says (both carry `CdtTrfTxInf`: read with the other's
    reader, a pain.001's transactions would find no group header and no time)."""
    kind = format or message_format(body)
    with tempfile.TemporaryDirectory(prefix="jalur-message-") as folder:
        path = Path(folder) / "message.xml"
        path.write_bytes(body)
        try:
            return read_payments(path, kind, review=True)
        except TransactionLoadError as exc:  # name the message, not the scratch file
            raise TransactionLoadError("message", exc.location, exc.reason) from exc


def message_format(body: bytes) -> str:
    """`pacs008` or `pain001`, from the message element; a document of another kind (a
    camt.053 statement) is refused naming it. XML broken before the message element is read
    as pacs.008, whose reader names the line."""
    seen: list[str] = []
    try:
        for _, element in etree.iterparse(
            BytesIO(body), events=("start",), resolve_entities=False, no_network=True
        ):
            name = etree.QName(element).localname
            if name in MESSAGES:
                return MESSAGES[name]
            seen.append(name)
            if len(seen) >= _SNIFF:
                break
    except etree.XMLSyntaxError:
        return "pacs008"
    after = seen.index("Document") + 1 if "Document" in seen else 0  # message element, or root
    document = seen[after] if after < len(seen) else None
    known = ", ".join(f"{kind} <{name}>" for name, kind in MESSAGES.items())
    found = f"<{document}>" if document else "no message element"
    raise TransactionLoadError(
        "message", "document", f"{found} is not a payment message the stream decides ({known})"
    )
