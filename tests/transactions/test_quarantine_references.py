"""A bad ISO 20022 transaction in `tx quarantine` is named by its EndToEndId and UETR, as the
stream names it, beside message, index and line: what the sending bank knows it by. Before:
"message M1 transaction 2 (line 12)" only."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined

UETR = "eb6305c9-1f7f-49de-aed0-16487c27b42d"

PACS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Document [<!ENTITY n "Abu Bakar">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>
{transactions}
</FIToFICstmrCdtTrf></Document>"""

TX = """<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId>{uetr}</PmtId>
<IntrBkSttlmAmt Ccy="IDR">{amount}</IntrBkSttlmAmt>
<Dbtr><Nm>{debtor}</Nm></Dbtr><Cdtr><Nm>Budi Santoso</Nm></Cdtr></CdtTrfTxInf>"""


def _pacs(tmp_path: Path) -> Path:
    transactions = [
        TX.format(ref="E2E-1", uetr="", amount="1000", debtor="Ahmad Yani"),
        TX.format(ref="E2E-2", uetr=f"<UETR>{UETR}</UETR>", amount="lots", debtor="Siti"),
        TX.format(ref="NOTPROVIDED", uetr="", amount="nil", debtor="Siti"),
        TX.format(ref="E2E-4", uetr="", amount="1000", debtor="&n;"),
    ]
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(transactions="\n".join(transactions)), encoding="utf-8")
    return path


def test_quarantine_names_end_to_end_id_and_uetr(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = load(_pacs(tmp_path), "pacs008")
    assert (counts.accepted, counts.rejected) == (1, 3)
    positions = sorted(position for position, _ in quarantined(store))
    assert positions == [
        "message M1 transaction 2 (line 8), EndToEndId E2E-2, UETR " + UETR,
        "message M1 transaction 3 (line 11)",  # NOTPROVIDED names nothing
        "transaction 4 (line 14), EndToEndId E2E-4",  # unreadable, still named
    ]
