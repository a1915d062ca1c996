"""Payment files from a hostile or careless sender: inputs that never end, XML past
libxml2's safety limits, repeated or overlong MT103 fields."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jalur.inputs import file_problem
from jalur.store import Store
from jalur.transactions import TransactionLoadError, load_transactions


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
