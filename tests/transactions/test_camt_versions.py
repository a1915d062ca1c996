"""camt.053 as banks send it now (camt.053.001.08, CBPR+ and most ERPs): a related party is a
`Party40Choice` (`<Cdtr><Pty><Nm>…`, or `<Agt>` for a bank) and each transaction detail of a
batch-booked entry has its own `<Amt>`. Read as camt.053.001.02, every counterparty name was
lost (nothing to screen) and each of an entry's details was given the whole entry's amount."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>S1</MsgId><CreDtTm>2024-03-16T00:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT1</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ownr><Nm>OWNER GMBH</Nm></Ownr>
<Svcr><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></Svcr></Acct>
<Ntry><NtryRef>N1</NtryRef><Amt Ccy="EUR">{total}</Amt><CdtDbtInd>{direction}</CdtDbtInd>
<BookgDt><Dt>2024-03-15</Dt></BookgDt><NtryDtls><Btch><NbOfTxs>3</NbOfTxs></Btch>
{details}
</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>
"""
DEBIT = """<TxDtls><Refs><EndToEndId>E{n}</EndToEndId></Refs>{amount}
<RltdPties><Cdtr><Pty><Nm>PAYEE {n}</Nm><PstlAdr><Ctry>FR</Ctry></PstlAdr></Pty></Cdtr>
<CdtrAcct><Id><IBAN>FR76300060000112345678901{n}</IBAN></Id></CdtrAcct>
<UltmtCdtr><Pty><Nm>ULTIMATE {n}</Nm></Pty></UltmtCdtr></RltdPties></TxDtls>"""


def _statement(path: Path, direction: str, details: str, total: str = "600.00") -> Path:
    path.write_text(
        STATEMENT.format(total=total, direction=direction, details=details), encoding="utf-8"
    )
    return path


def test_a_batch_entry_gives_each_detail_its_own_amount_and_counterparty(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    details = "\n".join(
        DEBIT.format(n=n, amount=f'<Amt Ccy="EUR">{n}00.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>')
        for n in (1, 2, 3)
    )
    counts = load(_statement(tmp_path / "camt.xml", "DBIT", details), "camt053")
    assert (counts.read, counts.accepted) == (3, 3)
    got = rows(store)
    assert [r["amount"] for r in got] == [100.0, 200.0, 300.0]  # each was 600.0
    assert [r["bene_name"] for r in got] == ["PAYEE 1", "PAYEE 2", "PAYEE 3"]  # were None
    assert [r["bene_ultimate"] for r in got] == ["ULTIMATE 1", "ULTIMATE 2", "ULTIMATE 3"]
    assert {r["bene_country"] for r in got} == {"FR"}
    assert {(r["orig_name"], r["orig_bank"]) for r in got} == {("OWNER GMBH", "COBADEFF")}


def test_a_bank_as_related_party_is_named_by_its_institution(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    detail = (
        '<TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs><Amt Ccy="EUR">600.00</Amt>'
        "<RltdPties><Dbtr><Agt><FinInstnId><BICFI>BNPAFRPP</BICFI><Nm>BNP PARIBAS</Nm>"
        "</FinInstnId></Agt></Dbtr></RltdPties></TxDtls>"
    )
    load(_statement(tmp_path / "camt.xml", "CRDT", detail), "camt053")
    (got,) = rows(store)
    assert (got["orig_name"], got["bene_name"]) == ("BNP PARIBAS", "OWNER GMBH")


def test_details_without_their_own_amounts_are_not_each_given_the_entrys(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    details = "\n".join(DEBIT.format(n=n, amount="") for n in (1, 2))
    counts = load(_statement(tmp_path / "camt.xml", "DBIT", details), "camt053")
    assert (counts.read, counts.accepted, counts.rejected) == (2, 0, 2)
    reasons = quarantined(store)
    assert [position for position, _ in reasons] == [
        "statement STMT1 entry 1 detail 1 (line 9)",
        "statement STMT1 entry 1 detail 2 (line 13)",
    ]
    assert all("2 transaction details" in reason for _, reason in reasons), reasons
    assert all("600.00 EUR" in reason for _, reason in reasons), reasons


def test_a_single_detail_without_an_amount_takes_the_entrys(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    load(_statement(tmp_path / "camt.xml", "DBIT", DEBIT.format(n=1, amount="")), "camt053")
    (got,) = rows(store)
    assert (got["amount"], got["bene_name"]) == (600.0, "PAYEE 1")


def test_a_reversal_returns_the_money_to_the_account_owner(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    """A returned transfer is booked CRDT with `RvslInd` true and the parties of the payment
    it reverses (the owner paid PAYEE 1): the money goes back from the payee to the owner. It
    was read as a payment to PAYEE 1 from nobody, the direction of the original."""
    detail = DEBIT.format(n=1, amount='<Amt Ccy="EUR">600.00</Amt>')
    path = _statement(tmp_path / "camt.xml", "CRDT", detail)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd>"
        ),
        encoding="utf-8",
    )
    load(path, "camt053")
    (got,) = rows(store)
    assert (got["orig_name"], got["orig_account"]) == ("PAYEE 1", "FR763000600001123456789011")
    assert (got["bene_name"], got["bene_account"]) == ("OWNER GMBH", "DE89370400440532013000")
