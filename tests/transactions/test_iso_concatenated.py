"""A gateway's export of a day's ISO 20022 messages, one document after another in one file,
each with its own XML declaration. Only the first document was read; the rest ended the
reading as "XML declaration allowed only at the start of the document", so every payment
after the first message was left out (one quarantined record stood for all of them). Each
document is now read in turn, its positions counted in lines of the file."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>{msg}</MsgId><CreDtTm>2024-03-15T10:30:00Z</CreDtTm></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId><TxId>T1</TxId></PmtId>
<IntrBkSttlmAmt Ccy="USD">{amount}</IntrBkSttlmAmt>
<Dbtr><Nm>PAYER</Nm></Dbtr><Cdtr><Nm>PAYEE</Nm></Cdtr></CdtTrfTxInf>
</FIToFICstmrCdtTrf></Document>
"""


def test_documents_one_after_another_are_each_read(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gateway.xml"
    path.write_text(
        "".join(DOCUMENT.format(msg=f"M{n}", amount=n * 100) for n in (1, 2, 3)),
        encoding="utf-8",
    )
    counts = load(path, "pacs008")
    assert (counts.read, counts.accepted, counts.rejected) == (3, 3, 0)
    assert [(r["tx_id"], r["amount"], r["source_position"]) for r in rows(store)] == [
        ("pacs008:M1:T1", 100.0, "message M1 transaction 1 (TxId T1, line 4)"),
        ("pacs008:M2:T1", 200.0, "message M2 transaction 1 (TxId T1, line 11)"),
        ("pacs008:M3:T1", 300.0, "message M3 transaction 1 (TxId T1, line 18)"),
    ]


def test_a_broken_document_among_them_is_named_by_its_line_in_the_file(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    broken = DOCUMENT.format(msg="M2", amount=200).replace("</Dbtr>", "</Dbtor>")
    path = tmp_path / "gateway.xml"
    path.write_text(
        DOCUMENT.format(msg="M1", amount=100) + broken + DOCUMENT.format(msg="M3", amount=300),
        encoding="utf-8",
    )
    counts = load(path, "pacs008")
    assert (counts.accepted, counts.rejected) == (1, 1)
    ((position, reason),) = quarantined(store)
    assert position == "line 13"
    assert reason.startswith("XML not well-formed (Opening and ending tag mismatch")
