"""A label file is read as a stream: it was read whole (bytes, then text, then rows: about
four times its size in memory), so an export of a bank's history with a wide note column could
exhaust the machine before the first row was checked. The errors, counts and line numbers are
what they were."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import pytest

from jalur.risk import LabelFileError, read_labels

#: Rows and note width of the wide file: 8 MB, far above what its labels need in memory.
ROWS, NOTE = 2_000, 4_000


def _wide_file(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("account,label,note\r\n")
        for row in range(ROWS):
            out.write(f"A{row % 50},{row % 2 if row < 50 else (row % 50) % 2},{'x' * NOTE}\r\n")
    return path


def test_a_wide_label_file_is_not_held_in_memory(tmp_path: Path) -> None:
    path = _wide_file(tmp_path)
    known = {f"A{n}" for n in range(50)}
    tracemalloc.start()
    try:
        labels = read_labels(path, known)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak < size / 4, f"peak {peak:,} bytes for a file of {size:,}"
    assert (labels.read, len(labels.by_account), len(labels.errors)) == (ROWS, 50, 0)
    assert len(labels.duplicates) == ROWS - 50
    assert labels.digest == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_bad_byte_deep_in_the_file_is_still_a_label_file_error(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    body = "".join(f"A{n},{n % 2}\n" for n in range(100_000))
    path.write_bytes(b"\xef\xbb\xbfaccount,label\n" + body.encode() + b"B,\xff\n")
    with pytest.raises(LabelFileError, match=r"cannot read labels .*: .*line 100,002"):
        read_labels(path, {"A1"})


def test_rows_and_line_numbers_are_as_before_across_a_quoted_newline(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text('account;label\r\nA;1\r\n\r\n"B\r\nC";0\r\nD;0\r\nGHOST;1\r\n', "utf-8")
    labels = read_labels(path, {"A", "D"})
    assert labels.read == 4 and labels.by_account == {"A": 1, "D": 0}
    assert labels.errors[0].startswith("line 4: a quote opened on this line is not closed")
    assert labels.errors[1] == "line 7: account 'GHOST' has no loaded payment"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_label_file_is_read_as_its_byte_order_mark_says(tmp_path: Path, codec: str) -> None:
    """Excel's "Unicode Text" saves UTF-16 with a byte-order mark (tab-separated): it was
    refused, "'utf-8' codec can't decode byte 0xff in position 0"."""
    path = tmp_path / "labels.txt"
    data = "\ufeffaccount\tlabel\r\nA\t1\r\n\r\nB\t0\r\nGHOST\t1\r\n".encode(codec)
    path.write_bytes(data)
    labels = read_labels(path, {"A", "B"})
    assert labels.by_account == {"A": 1, "B": 0} and labels.read == 3
    assert labels.errors == ["line 5: account 'GHOST' has no loaded payment"]
    assert labels.digest == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0"])
def test_a_workbook_given_as_labels_is_named_as_one(tmp_path: Path, magic: bytes) -> None:
    """A label sheet kept in Excel and given as is was refused with "'utf-8' codec can't
    decode byte 0x… in position 10": the analyst learnt nothing of what to do."""
    path = tmp_path / "labels.xlsx"
    path.write_bytes(magic + b"\x00\x01\x02\x03\xff\xfe" * 50)
    with pytest.raises(LabelFileError, match=r"an Excel workbook, not a CSV: save .* as CSV"):
        read_labels(path, {"A"})


def test_excel_s_separator_line_is_read_past(tmp_path: Path) -> None:
    """`sep=;` before the header (an export meant for Excel) was read as the header: "the
    header must name the columns account,label"."""
    path = tmp_path / "labels.csv"
    path.write_text("sep=;\naccount;label\nA;1\nGHOST;0\nB;0\n", encoding="utf-8")
    labels = read_labels(path, {"A", "B"})
    assert labels.by_account == {"A": 1, "B": 0}
    assert labels.errors == ["line 4: account 'GHOST' has no loaded payment"]
