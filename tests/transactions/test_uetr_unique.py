"""One UETR names one payment (SWIFT's rule). The same UETR with the same amount and currency
is the same payment seen again (as MT103 and as pacs.008, or a file loaded twice): a duplicate.
With another amount or currency it is another payment under a reused UETR: it used to be
counted a duplicate and dropped without a word; it is quarantined naming both."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store
from jalur.transactions import load_transactions

from .conftest import quarantined

UETR = "eb6305c9-1f7f-49de-aed0-16487c27b42a"
PACS = (
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>\n{body}\n"
    "</FIToFICstmrCdtTrf></Document>\n"
)
TX = (
    "<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId><UETR>{uetr}</UETR></PmtId>"
    '<IntrBkSttlmAmt Ccy="IDR">{amount}</IntrBkSttlmAmt>'
    "<Dbtr><Nm>Ahmad Yani</Nm></Dbtr><Cdtr><Nm>Budi Santoso</Nm></Cdtr></CdtTrfTxInf>"
)
MT103 = (
    "{{1:F01BANKBEBBAXXX0000000000}}{{2:I103BANKDEFFXXXXN}}{{3:{{121:{uetr}}}}}{{4:\n:20:R1\n"
    ":32A:240501IDR{amount},\n:50K:/123\nAHMAD YANI\n:59:/456\nBUDI SANTOSO\n:71A:SHA\n-}}\n"
)


def _pacs(path: Path, *amounts: int) -> Path:
    body = "\n".join(
        TX.format(ref=f"E{i}", uetr=UETR, amount=a) for i, a in enumerate(amounts, start=1)
    )
    path.write_text(PACS.format(body=body), encoding="utf-8")
    return path


def test_two_payments_of_one_message_under_one_uetr_the_second_is_named(
    store: Store, tmp_path: Path
) -> None:
    path = _pacs(tmp_path / "pacs.xml", 1000, 2000, 1000)
    counts = load_transactions(store, path, "pacs008")
    assert counts.as_dict() == {"read": 3, "accepted": 1, "rejected": 1, "duplicates": 1}
    ((position, reason),) = quarantined(store)
    assert position == "message M1 transaction 2 (line 3)"
    assert reason == (
        f"UETR {UETR} already names another payment ({path}, message M1 transaction 1 "
        "(line 2): 1000.0 IDR); this one is 2000.0 IDR: a UETR names one payment, so one of "
        "the two is wrong"
    )
    row = store.execute("SELECT end_to_end_id, uetr FROM tx_quarantine").fetchone()
    assert row == ("E2", UETR)
    again = load_transactions(store, path, "pacs008")  # reloading adds nothing
    assert (again.accepted, again.rejected, again.duplicates) == (0, 1, 2)
    assert len(quarantined(store)) == 1


def test_the_same_payment_as_mt103_and_pacs008_is_one_payment_another_is_named(
    store: Store, tmp_path: Path
) -> None:
    fin = tmp_path / "fin.txt"
    fin.write_text(MT103.format(uetr=UETR, amount=1000), encoding="utf-8")
    assert load_transactions(store, fin, "mt103").accepted == 1
    same = load_transactions(store, _pacs(tmp_path / "same.xml", 1000), "pacs008")
    assert (same.accepted, same.rejected, same.duplicates) == (0, 0, 1)
    other = load_transactions(store, _pacs(tmp_path / "other.xml", 5000), "pacs008")
    assert (other.accepted, other.rejected, other.duplicates) == (0, 1, 0)
    ((position, reason),) = quarantined(store)
    assert position == "message M1 transaction 1 (line 2)"
    assert f"already names another payment ({fin}, message 1 (line 1): 1000.0 IDR)" in reason
    assert "this one is 5000.0 IDR" in reason
