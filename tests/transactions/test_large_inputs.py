"""Large payment files: what a reader keeps in memory while it streams one.

Memory itself is measured by hand (docs/transactions.md); these tests check the shape that
bounds it: what stays in the parsed tree while the reading goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError, load_transactions
from jalur.transactions.readers import iso20022, mt103
from jalur.transactions.readers.xmlparty import Element

JUNK = "<Other><Sub>x</Sub></Other>\n" * 20_000  # 560 KB: several of the reader's blocks
NS = "urn:iso:std:iso:20022:tech:xsd"


def _records(path: Path, fmt: str) -> list[dict[str, str | None]]:
    found = list(iso20022._records(path, fmt))
    assert all(isinstance(item, dict) for item in found), found
    return found  # type: ignore[return-value]


def test_elements_that_are_no_transaction_leave_the_tree_once_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 48 MB of <Other> took about 1 GB: only transactions were ever cleared
    tag, parse, what = iso20022.MESSAGES["pacs008"]
    held: list[int] = []

    def counting(tx: Element, index: int, within: int) -> iso20022.Record | list[iso20022.Record]:
        held.append(sum(1 for _ in tx.getroottree().iter()))
        return parse(tx, index, within)

    monkeypatch.setitem(iso20022.MESSAGES, "pacs008", (tag, counting, what))
    tx = (
        "<CdtTrfTxInf><PmtId><EndToEndId>E{0}</EndToEndId></PmtId>"
        '<IntrBkSttlmAmt Ccy="IDR">1000</IntrBkSttlmAmt><Dbtr><Nm>Ahmad Yani</Nm></Dbtr>'
        "<Cdtr><Nm>Budi</Nm></Cdtr></CdtTrfTxInf>\n"
    )
    path = tmp_path / "pacs.xml"
    path.write_text(
        f'<Document xmlns="{NS}:pacs.008.001.08"><FIToFICstmrCdtTrf>'
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>\n"
        f"{JUNK}{tx.format(1)}{JUNK}<Wrap>{JUNK}</Wrap>{tx.format(2)}{JUNK}"
        "</FIToFICstmrCdtTrf></Document>\n",
        encoding="utf-8",
    )
    records = _records(path, "pacs008")
    assert [r["tx_id"] for r in records] == ["pacs008:M1:E1", "pacs008:M1:E2"]
    assert [r["timestamp"] for r in records] == ["2024-05-01T10:00:00Z"] * 2  # header kept
    # one reader block of junk at most (about 4,600 elements), not the 40,000 + 80,000 read
    assert max(held) < 10_000, held


def test_a_payment_batch_and_a_statement_keep_what_their_transactions_read(
    tmp_path: Path,
) -> None:
    # the debtor of a pain.001 batch and the owner of a camt.053 account are read for every
    # transaction, however far after them it comes
    pain = tmp_path / "pain.xml"
    tx = (
        "<CdtTrfTxInf><PmtId><EndToEndId>E{0}</EndToEndId></PmtId>"
        '<Amt><InstdAmt Ccy="EUR">10</InstdAmt></Amt><Cdtr><Nm>Budi</Nm></Cdtr>'
        "</CdtTrfTxInf>\n"
    )
    pain.write_text(
        f'<Document xmlns="{NS}:pain.001.001.09"><CstmrCdtTrfInitn>'
        f"<GrpHdr><MsgId>M9</MsgId></GrpHdr>{JUNK}<PmtInf><PmtInfId>B1</PmtInfId>"
        "<ReqdExctnDt><Dt>2024-05-02</Dt></ReqdExctnDt><Dbtr><Nm>PT Maju</Nm></Dbtr>"
        f"{JUNK}{tx.format(1)}{JUNK}{tx.format(2)}</PmtInf>{JUNK}"
        "<PmtInf><PmtInfId>B2</PmtInfId><Dbtr><Nm>CV Jaya</Nm></Dbtr>"
        f"<ReqdExctnDt><Dt>2024-05-03</Dt></ReqdExctnDt>{JUNK}{tx.format(3)}</PmtInf>"
        "</CstmrCdtTrfInitn></Document>\n",
        encoding="utf-8",
    )
    got = [(r["tx_id"], r["orig_name"], r["timestamp"]) for r in _records(pain, "pain001")]
    assert got == [
        ("pain001:M9:B1:E1", "PT Maju", "2024-05-02"),
        ("pain001:M9:B1:E2", "PT Maju", "2024-05-02"),
        ("pain001:M9:B2:E3", "CV Jaya", "2024-05-03"),
    ]
    camt = tmp_path / "camt.xml"
    entry = (
        '<Ntry><NtryRef>N{0}</NtryRef><Amt Ccy="IDR">5</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
        "<BookgDt><Dt>2024-05-04</Dt></BookgDt></Ntry>\n"
    )
    camt.write_text(
        f'<Document xmlns="{NS}:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S1</Id>'
        "<Acct><Id><IBAN>ID99</IBAN></Id><Ownr><Nm>Yayasan Amal</Nm></Ownr></Acct>"
        f"{JUNK}{entry.format(1)}{JUNK}{entry.format(2)}</Stmt></BkToCstmrStmt></Document>\n",
        encoding="utf-8",
    )
    got = [(r["tx_id"], r["orig_name"], r["orig_account"]) for r in _records(camt, "camt053")]
    assert got == [
        ("camt053:S1:N1:1", "Yayasan Amal", "ID99"),
        ("camt053:S1:N2:1", "Yayasan Amal", "ID99"),
    ]


def test_a_file_with_no_document_in_its_first_mib_is_refused_there(tmp_path: Path) -> None:
    path = tmp_path / "junk.xml"
    path.write_text("<Root>" + JUNK * 3 + "</Root>", encoding="utf-8")
    with pytest.raises(TransactionLoadError, match="neither a Document nor a Ntry"):
        _records(path, "camt053")


MT103 = (
    "{{1:F01BANKBEBBAXXX0000000000}}{{2:I103BANKDEFFXXXXN}}{{4:\n:20:{ref}\n"
    ":32A:240501IDR1000000,\n:50K:/123\n{payer}\n:59:/456\nBUDI SANTOSO\n:71A:SHA\n-}}\n"
)


def test_an_mt103_file_streams_message_by_message(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the file was read whole into memory (and decoded whole: twice its size)
    path = tmp_path / "fin.txt"
    read_bytes, read_text = Path.read_bytes, Path.read_text

    def refuse(method: Callable[..., Any]) -> Callable[..., Any]:
        def whole(self: Path, *args: Any, **kwargs: Any) -> Any:
            assert self != path, "the payment file was read whole"
            return method(self, *args, **kwargs)

        return whole

    monkeypatch.setattr(Path, "read_bytes", refuse(read_bytes))
    monkeypatch.setattr(Path, "read_text", refuse(read_text))
    monkeypatch.setattr(
        mt103, "_BLOCK_CHARS", 7, raising=False
    )  # starts and lines cut between blocks
    path.write_text(
        "\n".join(MT103.format(ref=f"R{i}", payer=f"PAYER {i}") for i in range(1, 6)),
        encoding="utf-8",
    )
    counts = load_transactions(store, path, "mt103")
    assert (counts.read, counts.accepted, counts.rejected) == (5, 5, 0)
    got = store.execute("SELECT source_position, orig_name FROM transactions ORDER BY 1")
    assert got.fetchall() == [
        (f"message {i} (line {10 * i - 9})", f"PAYER {i}") for i in range(1, 6)
    ]


def test_an_mt103_message_past_the_bound_is_quarantined_unread_and_its_neighbours_load(
    store: Store, tmp_path: Path
) -> None:
    # a message may be one field of gigabytes: it is cut at the bound, not held whole
    huge = MT103.format(ref="R2", payer="A" * (mt103.MAX_MESSAGE_CHARS + 70_000) + "\n{1")
    path = tmp_path / "fin.txt"
    path.write_text(
        MT103.format(ref="R1", payer="AHMAD YANI") + huge + MT103.format(ref="R3", payer="SITI"),
        encoding="utf-8",
    )
    counts = load_transactions(store, path, "mt103")
    assert (counts.read, counts.accepted, counts.rejected, counts.duplicates) == (3, 2, 1, 0)
    (position, reason, size), *_ = store.execute(
        "SELECT source_position, reason, length(raw) FROM tx_quarantine"
    ).fetchall()
    assert position == "message 2 (line 10)" and size == 4000
    assert reason.startswith("message longer than 1,000,000 characters (a FIN message is at most")
    got = store.execute("SELECT source_position, orig_name FROM transactions ORDER BY 1")
    assert got.fetchall() == [("message 1 (line 1)", "AHMAD YANI"), ("message 3 (line 20)", "SITI")]
