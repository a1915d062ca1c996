"""IBM AMLworld CSV, and every kind of bad record quarantined with its line and reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import quarantined, rows

HEADER = (
    "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
    "Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
)
GOOD = [
    "2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,"
    "Reinvestment,0\n",
    "2022/09/01 00:02,03208,8000F4580,001,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,1\n",
]


def _ibm(tmp_path: Path, lines: list[str], raw: bytes = b"") -> Path:
    path = tmp_path / "HI-Small_Trans.csv"
    path.write_bytes((HEADER + "".join(lines)).encode() + raw)
    return path


def test_ibm_keeps_padded_banks_both_accounts_and_label(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = load(_ibm(tmp_path, GOOD), "ibm")
    assert counts.as_dict() == {"read": 2, "accepted": 2, "rejected": 0, "duplicates": 0}
    cheque = rows(store, "channel = 'cheque'")[0]
    assert (cheque["orig_bank"], cheque["orig_account"]) == ("03208", "8000F4580")
    assert (cheque["bene_bank"], cheque["bene_account"]) == ("001", "8000F5340")
    assert cheque["timestamp"] == datetime(2022, 9, 1, 0, 2, tzinfo=UTC)
    assert (cheque["amount"], cheque["currency"], cheque["label"]) == (0.01, "USD", True)
    assert cheque["source_position"] == "line 3"
    assert rows(store, "channel = 'reinvestment'")[0]["label"] is False


def test_identical_rows_are_distinct_payments_but_reload_adds_nothing(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = _ibm(tmp_path, [GOOD[0], GOOD[0], GOOD[1]])
    assert load(path, "ibm").accepted == 3
    assert load(path, "ibm").as_dict() == {"read": 3, "accepted": 0, "rejected": 0, "duplicates": 3}


BAD = {
    "2022/02/30 10:00,1,A,2,B,5,US Dollar,5,US Dollar,ACH,0\n": "bad timestamp",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,-5,US Dollar,ACH,0\n": "negative amount",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,12abc,US Dollar,ACH,0\n": "amount is not a number",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,5,Zorkmid,ACH,0\n": "unknown currency: ZORKMID",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,inf,US Dollar,ACH,0\n": "amount is not finite",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,,US Dollar,ACH,0\n": "missing amount",
    ",1,A,2,B,5,US Dollar,5,US Dollar,ACH,0\n": "missing timestamp",
    "2022/09/01 10:00,1,A,2,B,5,US Dollar,5,US Dollar,ACH,maybe\n": "label is not true/false",
    "2022/09/01 10:00,1,A\n": "expected 11 fields, found 3",
}


def test_each_bad_record_is_quarantined_with_line_and_reason(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    latin1 = "2022/09/01 10:00,1,Jos\xe9,2,B,5,US Dollar,5,US Dollar,ACH,0\n".encode("latin-1")
    path = _ibm(tmp_path, [GOOD[0], *BAD, GOOD[1]], raw=latin1)
    counts = load(path, "ibm")
    assert counts.as_dict() == {"read": 12, "accepted": 2, "rejected": 10, "duplicates": 0}
    found = dict(quarantined(store))
    for line, reason in enumerate(BAD.values(), start=3):
        assert reason in found[f"line {line}"], (line, found)
    assert "not valid UTF-8" in found["line 13"] and "Account" in found["line 13"]
    raw = store.execute(
        "SELECT raw FROM tx_quarantine WHERE source_position = 'line 13'"
    ).fetchone()
    assert raw is not None and "Jos\\xE9" in raw[0]
    again = load(path, "ibm")
    assert (again.rejected, again.duplicates) == (10, 2)
    assert store.execute("SELECT count(*) FROM tx_quarantine").fetchone() == (10,)


def test_explicit_encoding_reads_a_latin1_file(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    from jalur.transactions import LoadOptions

    path = tmp_path / "latin.csv"
    path.write_bytes(
        (HEADER + "2022/09/01 10:00,1,José,2,B,5,Euro,5,Euro,Wire,0\n").encode("latin-1")
    )
    counts = load(path, "ibm", options=LoadOptions(encoding="latin-1"))
    assert counts.accepted == 1
    assert rows(store)[0]["orig_account"] == "José"


def test_not_an_ibm_file_fails_clearly_and_loads_nothing(store: Store, tmp_path: Path) -> None:
    from jalur.transactions import load_transactions

    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(TransactionLoadError, match="not an IBM AMLworld header"):
        load_transactions(store, path, "ibm")
    with pytest.raises(TransactionLoadError, match="unknown format"):
        load_transactions(store, path, "swift")
    with pytest.raises(TransactionLoadError, match="no such file"):
        load_transactions(store, tmp_path / "missing.csv", "ibm")


def test_unclosed_quote_swallows_the_rest_into_one_quarantined_record(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = _ibm(tmp_path, [GOOD[0], '2022/09/01 10:00,1,"A,2,B,5,Euro,5,Euro,Wire,0\n', GOOD[1]])
    counts = load(path, "ibm")
    assert (counts.accepted, counts.rejected) == (1, 1)
    ((position, reason),) = quarantined(store)
    assert (position, reason) == ("line 3", "expected 11 fields, found 3")
    (raw,) = store.execute("SELECT raw FROM tx_quarantine").fetchone() or ("",)
    assert "8000F4580" in raw  # the swallowed record is kept in the raw text


RECEIVED_BAD = {
    "2022/09/01 10:00,1,A,2,B,12abc,Euro,5,US Dollar,ACH,0\n": "received amount is not a number",
    "2022/09/01 10:00,1,A,2,B,-4,Euro,5,US Dollar,ACH,0\n": "negative received amount",
    "2022/09/01 10:00,1,A,2,B,inf,Euro,5,US Dollar,ACH,0\n": "received amount is not finite",
    "2022/09/01 10:00,1,A,2,B,4,Zorkmid,5,US Dollar,ACH,0\n": "unknown received currency: ZORKMID",
    "2022/09/01 10:00,1,A,2,B,4,,5,US Dollar,ACH,0\n": "missing received currency",
}


def test_received_amount_and_currency_are_kept_and_checked(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    cross = "2022/09/01 11:00,1,A,2,B,4.60,Euro,5.00,US Dollar,Wire,0\n"
    path = _ibm(tmp_path, [cross, *RECEIVED_BAD, GOOD[1]])
    counts = load(path, "ibm")
    assert counts.as_dict() == {"read": 7, "accepted": 2, "rejected": 5, "duplicates": 0}
    kept = rows(store, "amount = 5.0")[0]
    assert (kept["amount"], kept["currency"]) == (5.0, "USD")
    assert (kept["amount_received"], kept["currency_received"]) == (4.6, "EUR")
    same = rows(store, "channel = 'cheque'")[0]
    assert (same["amount_received"], same["currency_received"]) == (0.01, "USD")
    found = dict(quarantined(store))
    for line, reason in enumerate(RECEIVED_BAD.values(), start=3):
        assert reason in found[f"line {line}"], (line, found)


def test_other_formats_leave_the_received_columns_empty(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "tx_id,timestamp,orig_account,bene_account,amount,currency\n"
        "T1,2022-09-01T10:00:00Z,A,B,5,EUR\n",
        encoding="utf-8",
    )
    assert load(path, "csv").accepted == 1
    assert (rows(store)[0]["amount_received"], rows(store)[0]["currency_received"]) == (None, None)


def test_blank_lines_and_multi_line_values_keep_every_line_number_true(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    """An analyst fixes a record by the line the quarantine names: it must be that record's.

    Exports end sections with blank lines (CRLF ones too) and quote values holding newlines;
    neither is a record, and neither may shift the numbers of the records after it.
    """
    multi_line = GOOD[1].replace("Cheque", '"Che\nque"')
    lines = [GOOD[0], "\n", "\r\n", *BAD, multi_line, "2022/09/01 10:00,1,A\n"]
    counts = load(_ibm(tmp_path, lines), "ibm")
    assert counts.as_dict() == {"read": 12, "accepted": 2, "rejected": 10, "duplicates": 0}
    found = dict(quarantined(store))
    for line, reason in enumerate(BAD.values(), start=5):
        assert reason in found[f"line {line}"], (line, found)
    assert "expected 11 fields, found 3" in found["line 16"], found
    assert rows(store, "label")[0]["source_position"] == "line 14"
