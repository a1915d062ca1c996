"""An ISO 20022 record is named the way a user finds it in the file: its message (payment
batch, statement) and its place *within* that group, with the sender's transaction reference
when it has one. The place used to count through the whole file, so the second message's first
transaction was `message M2 transaction 3`: nobody could find it in message M2."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

PACS = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>{msg}</MsgId><CreDtTm>2024-03-15T10:30:00Z</CreDtTm></GrpHdr>
{transactions}
</FIToFICstmrCdtTrf></Document>
"""
PACS_TX = """<CdtTrfTxInf><PmtId><EndToEndId>E{n}</EndToEndId>{txid}</PmtId>
<IntrBkSttlmAmt Ccy="USD">{amount}</IntrBkSttlmAmt>
<Dbtr><Nm>PAYER</Nm></Dbtr><Cdtr><Nm>PAYEE</Nm></Cdtr></CdtTrfTxInf>"""


def _pacs(msg: str, *amounts: str, txid: bool = True) -> str:
    body = "\n".join(
        PACS_TX.format(n=f"{msg}-{n}", amount=a, txid=f"<TxId>T{n}</TxId>" if txid else "")
        for n, a in enumerate(amounts, start=1)
    )
    return PACS.format(msg=msg, transactions=body)


def test_a_pacs008_record_is_counted_within_its_message_with_its_tx_id(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gateway.xml"
    path.write_text(
        _pacs("M1", "100", "200") + _pacs("M2", "300", "lots") + _pacs("M3", "5", txid=False),
        encoding="utf-8",
    )
    counts = load(path, "pacs008")
    assert (counts.read, counts.accepted, counts.rejected) == (5, 4, 1)
    assert quarantined(store) == [
        ("message M2 transaction 2 (TxId T2, line 17)", "amount is not a number: lots")
    ]
    assert [r["source_position"] for r in rows(store, "amount = 300 OR amount = 5")] == [
        "message M2 transaction 1 (TxId T1, line 14)",
        "message M3 transaction 1 (line 24)",
    ]


def test_an_unreadable_pacs008_transaction_is_named_by_its_message(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gateway.xml"
    entity = _pacs("M2", "300", "400").replace(
        "<Document", '<!DOCTYPE Document [<!ENTITY n "X">]>\n<Document', 1
    )
    path.write_text(
        _pacs("M1", "100") + entity.replace("<Nm>PAYER</Nm>", "<Nm>&n;</Nm>", 1),
        encoding="utf-8",
    )
    counts = load(path, "pacs008")
    assert (counts.read, counts.accepted, counts.rejected) == (3, 2, 1)
    ((position, reason),) = quarantined(store)
    assert position == "message M2 transaction 1 (line 12)"
    assert "entity reference &n; is not expanded" in reason


PAIN = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>P1</MsgId><CreDtTm>2024-03-15T08:00:00Z</CreDtTm></GrpHdr>
{batches}
</CstmrCdtTrfInitn></Document>
"""
PAIN_BATCH = """<PmtInf><PmtInfId>{batch}</PmtInfId><ReqdExctnDt><Dt>2024-03-18</Dt></ReqdExctnDt>
<Dbtr><Nm>PT DEBITUR</Nm></Dbtr><DbtrAcct><Id><Othr><Id>111</Id></Othr></Id></DbtrAcct>
<CdtTrfTxInf><PmtId><InstrId>{batch}-1</InstrId><EndToEndId>E1</EndToEndId></PmtId>
<Amt><InstdAmt Ccy="IDR">{amount}</InstdAmt></Amt><Cdtr><Nm>BUDI</Nm></Cdtr></CdtTrfTxInf>
</PmtInf>"""


def test_a_pain001_record_is_counted_within_its_payment_batch(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gaji.xml"
    batches = PAIN_BATCH.format(batch="B1", amount="5000") + PAIN_BATCH.format(
        batch="B2", amount="-1"
    )
    path.write_text(PAIN.format(batches=batches), encoding="utf-8")
    counts = load(path, "pain001")
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert quarantined(store) == [
        ("message P1 payment B2 transaction 1 (InstrId B2-1, line 10)", "negative amount: -1")
    ]


CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>S1</MsgId><CreDtTm>2024-03-16T00:00:00</CreDtTm></GrpHdr>
{statements}
</BkToCstmrStmt></Document>
"""
CAMT_STATEMENT = """<Stmt><Id>{statement}</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ownr><Nm>OWNER GMBH</Nm></Ownr></Acct>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2024-03-15</Dt>
</BookgDt><NtryDtls><TxDtls><RltdPties><Cdtr><Pty><Nm>PAYEE</Nm></Pty></Cdtr></RltdPties>
</TxDtls></NtryDtls></Ntry></Stmt>"""


def test_a_camt053_entry_is_counted_within_its_statement(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "camt.xml"
    statements = CAMT_STATEMENT.format(statement="ACC1", amount="10.00") + CAMT_STATEMENT.format(
        statement="ACC2", amount="ten"
    )
    path.write_text(CAMT.format(statements=statements), encoding="utf-8")
    counts = load(path, "camt053")
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert quarantined(store) == [
        ("statement ACC2 entry 1 detail 1 (line 11)", "amount is not a number: ten")
    ]
