"""A pain.001 transaction's amount is a choice: `InstdAmt`, or `EqvtAmt` (an amount in the
debtor's currency, `Amt`, to be paid in `CcyOfTrf`), as a customer with a rouble account
instructs a dollar payment. Only `InstdAmt` was read, so such a transfer was quarantined as
`missing amount`: its payee was never screened. It loads with the equivalent amount as the
debtor pays it."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

PAIN = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>P1</MsgId><CreDtTm>2024-03-15T08:00:00Z</CreDtTm></GrpHdr>
<PmtInf><PmtInfId>B1</PmtInfId><ReqdExctnDt><Dt>2024-03-18</Dt></ReqdExctnDt>
<Dbtr><Nm>OOO ROMASHKA</Nm></Dbtr><DbtrAcct><Id><Othr><Id>111</Id></Othr></Id></DbtrAcct>
<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId>
<Amt><EqvtAmt><Amt Ccy="RUB">950000.00</Amt><CcyOfTrf>USD</CcyOfTrf></EqvtAmt></Amt>
<Cdtr><Nm>ACME LLC</Nm></Cdtr></CdtTrfTxInf>
</PmtInf></CstmrCdtTrfInitn></Document>
"""


def test_an_equivalent_amount_is_read(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "pain.xml"
    path.write_text(PAIN, encoding="utf-8")
    counts = load(path, "pain001")
    assert (counts.accepted, counts.rejected) == (1, 0), quarantined(store)
    (got,) = rows(store)
    assert (got["amount"], got["currency"], got["bene_name"]) == (950000.0, "RUB", "ACME LLC")
