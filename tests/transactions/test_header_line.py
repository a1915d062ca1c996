"""Internet banking exports put the account, its holder and the period above the table
(`No. rekening : 0987654321`, a blank line, then the header). The loader took the first
line for the header, so such a file was refused (`mapped columns not in file`) unless its
preamble was cut off by hand. A mapping's `header_line:` says on which line the header is;
the lines above it are not records, and positions stay the file's own line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import quarantined, rows

EXPORT = (
    "\ufeffNo. rekening : 0987654321\n"
    "Nama : PT SUMBER REJEKI\n"
    "Periode : 01/12/2026 - 07/12/2026\n"
    "Kode Mata Uang : IDR\n"
    "\n"
    "Tanggal,Keterangan,Jumlah\n"
    "07/12/2026,SETORAN,250000.00\n"
    "07/12/2026,SALAH,banyak\n"
)
MAPPING = """columns:
  timestamp: Tanggal
  purpose: Keterangan
  amount: Jumlah
constants:
  currency: IDR
timestamp_format: "%d/%m/%Y"
"""


def _files(tmp_path: Path, extra: str) -> tuple[Path, Path]:
    data = tmp_path / "bca.csv"
    data.write_text(EXPORT, encoding="utf-8")
    mapping = tmp_path / "bca.yaml"
    mapping.write_text(MAPPING + extra, encoding="utf-8")
    return data, mapping


def test_the_header_is_read_on_the_line_the_mapping_names(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _files(tmp_path, "header_line: 6\n")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)
    assert [(r["purpose"], r["source_position"]) for r in rows(store)] == [("SETORAN", "line 7")]
    assert quarantined(store) == [("line 8", "amount is not a number: banyak")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "header_line: 0 is not a line number"),
        ("'6'", "header_line: '6' is not a line number"),
        ("40", "line 40: no header line"),
    ],
)
def test_a_header_line_that_cannot_be_is_refused(
    store: Store, tmp_path: Path, load, value: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _files(tmp_path, f"header_line: {value}\n")
    with pytest.raises(TransactionLoadError, match=message):
        load(data, "csv", mapping=mapping)
