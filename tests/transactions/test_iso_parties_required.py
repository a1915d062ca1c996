"""A pacs.008 transaction must name its debtor and its creditor (both mandatory in the
schema), a pain.001 transaction its creditor or the creditor's account. Without them the
payment loaded with no payer or no payee: a payment nobody screens. MT103 quarantines a
message without 50a or 59a for the same reason; ISO 20022 now does too."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

PACS = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.10"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-15T10:30:00Z</CreDtTm></GrpHdr>
{transactions}
</FIToFICstmrCdtTrf></Document>
"""
TX = """<CdtTrfTxInf><PmtId><EndToEndId>E{n}</EndToEndId><TxId>T{n}</TxId></PmtId>
<IntrBkSttlmAmt Ccy="USD">100</IntrBkSttlmAmt>{parties}</CdtTrfTxInf>"""
DEBTOR = "<Dbtr><Nm>PAYER</Nm></Dbtr><DbtrAcct><Id><Othr><Id>111</Id></Othr></Id></DbtrAcct>"
CREDITOR = "<Cdtr><Nm>PAYEE</Nm></Cdtr><CdtrAcct><Id><Othr><Id>222</Id></Othr></Id></CdtrAcct>"


def test_a_pacs008_without_its_debtor_or_creditor_is_quarantined(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    body = "\n".join(
        TX.format(n=n, parties=parties)
        for n, parties in enumerate((DEBTOR + CREDITOR, DEBTOR, CREDITOR), start=1)
    )
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(transactions=body), encoding="utf-8")
    counts = load(path, "pacs008")
    assert (counts.read, counts.accepted, counts.rejected) == (3, 1, 2)
    assert [r["tx_id"] for r in rows(store)] == ["pacs008:M1:T1"]
    assert quarantined(store) == [
        (
            "message M1 transaction 2 (TxId T2, line 5)",
            "Cdtr (creditor) missing: a payment whose beneficiary nobody screens",
        ),
        (
            "message M1 transaction 3 (TxId T3, line 7)",
            "Dbtr (debtor) missing: a payment whose originator nobody screens",
        ),
    ]


def test_a_pain001_transaction_without_any_creditor_is_quarantined(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    pain = (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>'
        "<GrpHdr><MsgId>P1</MsgId><CreDtTm>2024-03-15T08:00:00Z</CreDtTm></GrpHdr>\n"
        "<PmtInf><PmtInfId>B1</PmtInfId><ReqdExctnDt><Dt>2024-03-18</Dt></ReqdExctnDt>"
        f"{DEBTOR}\n"
        '<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><Amt><InstdAmt Ccy="USD">1'
        "</InstdAmt></Amt></CdtTrfTxInf>\n"
        '<CdtTrfTxInf><PmtId><EndToEndId>E2</EndToEndId></PmtId><Amt><InstdAmt Ccy="USD">2'
        "</InstdAmt></Amt><CdtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id>"
        "</CdtrAcct></CdtTrfTxInf>\n"
        "</PmtInf></CstmrCdtTrfInitn></Document>\n"
    )
    path = tmp_path / "pain.xml"
    path.write_text(pain, encoding="utf-8")
    counts = load(path, "pain001")
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)
    assert quarantined(store) == [
        (
            "message P1 payment B1 transaction 1 (line 3)",
            "Cdtr (creditor) and CdtrAcct missing: a payment whose beneficiary nobody screens",
        )
    ]
