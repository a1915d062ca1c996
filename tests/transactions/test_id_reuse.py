"""A source's own id (an EndToEndId, an MT103 `:20:` reference, a mapped `tx_id`) under which
the file holds, or the workspace already has, a *different* payment. Such a record used to be
counted as a duplicate and dropped without a word: a salary batch whose transfers share one
EndToEndId loaded one payment of three. It is quarantined naming the payment that holds the
id and the fields that differ; the same record seen again is still a duplicate."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

PAIN = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
<GrpHdr><MsgId>P1</MsgId><CreDtTm>2024-03-15T08:00:00Z</CreDtTm></GrpHdr>
<PmtInf><PmtInfId>B1</PmtInfId><ReqdExctnDt><Dt>2024-03-18</Dt></ReqdExctnDt>
<Dbtr><Nm>PT DEBITUR</Nm></Dbtr><DbtrAcct><Id><Othr><Id>111</Id></Othr></Id></DbtrAcct>
{transactions}
</PmtInf></CstmrCdtTrfInitn></Document>
"""
TX = """<CdtTrfTxInf><PmtId><EndToEndId>GAJI-2024-03</EndToEndId></PmtId>
<Amt><InstdAmt Ccy="IDR">5000000</InstdAmt></Amt><Cdtr><Nm>{name}</Nm></Cdtr>
<CdtrAcct><Id><Othr><Id>{account}</Id></Othr></Id></CdtrAcct></CdtTrfTxInf>"""


def _salaries(path: Path) -> Path:
    payees = [("BUDI", "222"), ("SITI", "333"), ("BUDI", "222")]
    body = "\n".join(TX.format(name=n, account=a) for n, a in payees)
    path.write_text(PAIN.format(transactions=body), encoding="utf-8")
    return path


def test_transfers_sharing_an_end_to_end_id_are_not_dropped_as_duplicates(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = _salaries(tmp_path / "gaji.xml")
    counts = load(path, "pain001")
    # the third is the first again (same payee, amount, date): a duplicate, as before
    assert counts.as_dict() == {"read": 3, "accepted": 1, "rejected": 1, "duplicates": 1}
    ((position, reason),) = quarantined(store)
    assert position == "message P1 payment B1 transaction 2 (line 9)"
    assert reason == (
        "id pain001:P1:B1:GAJI-2024-03 already names another payment "
        f"({path}, message P1 payment B1 transaction 1 (line 6): 5000000.0 IDR); this one "
        "differs in bene_account, bene_name: an id names one payment, so it is not "
        "counted as a duplicate of it"
    )
    assert store.execute("SELECT end_to_end_id FROM tx_quarantine").fetchone() == ("GAJI-2024-03",)
    again = load(path, "pain001")  # reloading adds nothing, quarantines nothing twice
    assert (again.accepted, again.rejected, again.duplicates) == (0, 1, 2)
    assert len(quarantined(store)) == 1


def test_an_mt103_reference_reused_for_another_payment_is_named(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    message = (
        "{{1:F01COBADEFFAXXX0000000000}}{{2:I103BMRIIDJAXXXXN}}{{4:\n:20:REF1\n"
        ":32A:{date}IDR{amount},\n:50K:/111\nHANS\n:59:/222\nBUDI\n-}}"
    )
    first = tmp_path / "monday.fin"
    first.write_text(message.format(date="240311", amount=1000), encoding="utf-8")
    second = tmp_path / "tuesday.fin"
    second.write_text(message.format(date="240312", amount=9000), encoding="utf-8")
    assert load(first, "mt103").accepted == 1
    counts = load(second, "mt103")
    assert (counts.accepted, counts.rejected, counts.duplicates) == (0, 1, 0)
    ((position, reason),) = quarantined(store)
    assert position == "message 1 (line 1)"
    assert reason.startswith(
        f"id mt103:COBADEFF:REF1 already names another payment ({first}, message 1 (line 1): "
        "1000.0 IDR); this one differs in timestamp, amount:"
    )
    assert [r["amount"] for r in rows(store)] == [1000.0]


def test_a_mapped_export_repeating_a_row_is_a_duplicate_not_a_conflict(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "export.csv"
    row = "T1,2024-03-15 08:30,111,222,100.5,IDR\n"
    source.write_text(
        "tx_id,timestamp,orig_account,bene_account,amount,currency\n" + row + row,
        encoding="utf-8",
    )
    counts = load(source, "csv")
    assert (counts.accepted, counts.rejected, counts.duplicates) == (1, 0, 1)
