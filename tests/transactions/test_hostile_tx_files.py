"""Payment files from a hostile or careless sender: inputs that never end, XML past
libxml2's safety limits, repeated or overlong MT103 fields."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jalur.inputs import file_problem
from jalur.store import Store
from jalur.transactions import TransactionLoadError, load_transactions
from jalur.transactions.normalize import MAX_TEXT
from jalur.transactions.readers import iso20022


def test_a_fifo_and_a_device_are_named_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "payments.csv"
    os.mkfifo(fifo)  # opened for reading, it would block until a writer came
    assert (file_problem(fifo) or "").startswith("a FIFO (named pipe), not a regular file")
    assert (file_problem(Path("/dev/zero")) or "").startswith("a character device")
    assert file_problem(tmp_path) == "a folder, not a file"
    assert file_problem(tmp_path, folder_ok=True) is None
    assert file_problem(tmp_path / "missing.csv") is None  # the caller names a missing file


@pytest.mark.parametrize("fmt", ["csv", "mt103", "pacs008", "parquet"])
def test_a_device_given_as_a_payment_file_is_refused(store: Store, fmt: str) -> None:
    # /dev/null ends at once; /dev/zero (the same kind) fills memory without end
    with pytest.raises(TransactionLoadError, match="a character device, not a regular file"):
        load_transactions(store, Path("/dev/null"), fmt)


PACS = (
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>\n{body}\n"
    "</FIToFICstmrCdtTrf></Document>\n"
)
TX = (
    "<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId></PmtId>"
    '<IntrBkSttlmAmt Ccy="IDR">1000000</IntrBkSttlmAmt>'
    "<Dbtr><Nm>{debtor}</Nm></Dbtr><Cdtr><Nm>Budi Santoso</Nm></Cdtr></CdtTrfTxInf>"
)


def _pacs(tmp_path: Path, *debtors: str) -> Path:
    body = "\n".join(TX.format(ref=f"E{i}", debtor=d) for i, d in enumerate(debtors, start=1))
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(body=body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        ("A" * 10_000_001, "Text node too long"),  # was stored: a 10 MB "name"
        ("<x>" * 300 + "</x>" * 300, "Excessive depth in document: 256"),  # allowed to 2048
    ],
)
def test_iso20022_text_and_nesting_past_libxml2s_limits_end_the_reading(
    store: Store, tmp_path: Path, hostile: str, reason: str
) -> None:
    counts = load_transactions(store, _pacs(tmp_path, "Ahmad Yani", hostile), "pacs008")
    assert (counts.accepted, counts.rejected) == (1, 1)
    (why,) = [r for (r,) in store.execute("SELECT reason FROM tx_quarantine").fetchall()]
    assert why.startswith("XML not well-formed (") and reason in why
    names = store.execute("SELECT orig_name FROM transactions").fetchall()
    assert names == [("Ahmad Yani",)]


MT103 = (
    "{{1:F01BANKBEBBAXXX0000000000}}{{2:I103BANKDEFFXXXXN}}{{4:\n:20:{ref}\n"
    ":32A:240501IDR1000000,\n:50K:/123\n{payer}\n:59:/456\nBUDI SANTOSO\n:71A:SHA\n-}}\n"
)


def _reasons(store: Store) -> dict[str, tuple[str, int]]:
    found = store.execute("SELECT source_position, reason, length(raw) FROM tx_quarantine")
    return {position: (reason, size) for position, reason, size in found.fetchall()}


def test_a_payment_text_longer_than_the_limit_is_rejected_naming_the_field(
    store: Store, tmp_path: Path
) -> None:
    # a 30 MB payer name was stored (and screened); the quarantine kept the whole record
    path = tmp_path / "payments.csv"
    header = "tx_id,timestamp,amount,currency,orig_account,bene_account,orig_name,purpose\n"
    path.write_text(
        header
        + f"T1,2024-05-01 10:00:00,100,IDR,A1,B1,{'A' * MAX_TEXT},gift\n"
        + f"T2,2024-05-01 10:00:00,100,IDR,A1,B1,Ahmad Yani,{'x' * (MAX_TEXT + 1)}\n",
        encoding="utf-8",
    )
    counts = load_transactions(store, path, "csv")
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert _reasons(store) == {"line 3": ("purpose longer than 4,000 characters: 4001", 4000)}


def test_an_mt103_field_far_past_swifts_sizes_is_rejected(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "fin.txt"
    path.write_text(
        MT103.format(ref="R1", payer="A" * 100_000) + MT103.format(ref="R2", payer="AHMAD YANI")
    )
    counts = load_transactions(store, path, "mt103")
    assert (counts.accepted, counts.rejected) == (1, 1)
    reason, size = _reasons(store)["message 1 (line 1)"]
    assert (reason, size) == ("orig_name longer than 4,000 characters: 100000", 4000)


@pytest.mark.parametrize(
    ("payee", "reason"),
    [
        (":59:/456\nBUDI SANTOSO\n:59:/789\nABU BAKAR", "field repeated: 59a (2 times)"),
        (":59:/456\nBUDI SANTOSO\n:59A:BANKDEFF", "field repeated: 59a (2 times)"),
        (":59:/456\nBUDI SANTOSO\n:20:R9", "field repeated: 20 (2 times)"),
    ],
)
def test_an_mt103_with_a_field_twice_is_rejected_not_read_by_its_last(
    store: Store, tmp_path: Path, payee: str, reason: str
) -> None:
    # the last 59 won: ABU BAKAR was the beneficiary, BUDI SANTOSO never screened
    hostile = MT103.format(ref="R1", payer="AHMAD YANI").replace(":59:/456\nBUDI SANTOSO", payee)
    path = tmp_path / "fin.txt"
    path.write_text(hostile + MT103.format(ref="R2", payer="SITI AMINAH"))
    counts = load_transactions(store, path, "mt103")
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert _reasons(store)["message 1 (line 1)"][0].startswith(reason)


def test_an_mt103_may_repeat_the_fields_swift_lets_it(store: Store, tmp_path: Path) -> None:
    charges = ":71A:SHA\n:71F:EUR10,\n:71F:EUR5,"
    path = tmp_path / "fin.txt"
    path.write_text(MT103.format(ref="R1", payer="AHMAD YANI").replace(":71A:SHA", charges))
    assert load_transactions(store, path, "mt103").accepted == 1


def test_a_message_without_transactions_is_not_parsed_again_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a second, whole-tree parse told "no transaction" from "broken": a 48 MB file of other
    # elements took 1.7 GB; the streamed reading knows already
    def whole_tree(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed whole")

    monkeypatch.setattr(iso20022.etree, "parse", whole_tree)
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(body="<Other>x</Other>" * 3), encoding="utf-8")
    with pytest.raises(TransactionLoadError, match="no CdtTrfTxInf element"):
        load_transactions(store, path, "pacs008")
    path.write_text(PACS.format(body="<Other>x</Oth>"), encoding="utf-8")
    counts = load_transactions(store, path, "pacs008")
    assert (counts.read, counts.rejected) == (1, 1)
