"""A camt.053 entry's `CdtDbtInd` (mandatory: CRDT or DBIT) says which way the money went.
Anything else, or none, was read as a credit: the statement's own account became the payee
of a payment it may have made, with nothing said. Such an entry is quarantined naming the
value; the other entries load."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>S1</MsgId><CreDtTm>2024-03-16T00:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT1</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ownr><Nm>OWNER GMBH</Nm></Ownr></Acct>
{entries}
</Stmt></BkToCstmrStmt></Document>
"""
ENTRY = """<Ntry><NtryRef>N{n}</NtryRef><Amt Ccy="EUR">10.00</Amt>{indicator}
<BookgDt><Dt>2024-03-15</Dt></BookgDt><NtryDtls><TxDtls><RltdPties><Cdtr><Pty><Nm>PAYEE</Nm>
</Pty></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>"""


def test_an_entry_neither_debit_nor_credit_is_quarantined(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    indicators = ["<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>CRDT</CdtDbtInd>"]
    indicators += ["<CdtDbtInd>DEBIT</CdtDbtInd>", ""]
    entries = "\n".join(ENTRY.format(n=n, indicator=i) for n, i in enumerate(indicators, 1))
    path = tmp_path / "camt.xml"
    path.write_text(STATEMENT.format(entries=entries), encoding="utf-8")
    counts = load(path, "camt053")
    assert (counts.read, counts.accepted, counts.rejected) == (4, 2, 2)
    assert sorted(r["tx_id"] for r in rows(store)) == ["camt053:STMT1:N1:1", "camt053:STMT1:N2:1"]
    assert [reason for _, reason in quarantined(store)] == [
        "CdtDbtInd is neither DBIT (debit) nor CRDT (credit): DEBIT",
        "CdtDbtInd is neither DBIT (debit) nor CRDT (credit): missing",
    ]
