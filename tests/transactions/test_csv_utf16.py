"""Excel's "Unicode Text" (and many Windows exports) is UTF-16 with a byte-order mark, tab
separated. A mapping's `encoding: utf-16` (or `--encoding utf-16`) was documented for CSV but
the file was cut into lines at the byte 0x0A, which in UTF-16 is half a character: the header
was refused as unreadable text and nothing could be loaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from jalur.store import Store
from jalur.transactions.options import LoadOptions

from .conftest import quarantined, rows

MAPPING = """columns:
  tx_id: Ref
  timestamp: Tanggal
  bene_name: Nama Penerima
  amount: Jumlah
constants:
  currency: IDR
timestamp_format: "%d/%m/%Y %H:%M"
decimal_comma: true
delimiter: "\\t"
{encoding}
"""
ROWS = [
    ["Ref", "Tanggal", "Nama Penerima", "Jumlah"],
    ["T1", "07/12/2026 08:30", "Budi Santoso", "1.234,56"],
    ["T2", "07/12/2026 09:30", "Siti\nNurhaliza", "10,5"],
    ["T3", "07/12/2026 10:30", "Ahmad Yani", "tidak ada"],
    ["T4", "07/12/2026 11:30", "Абу Бакар", "1000"],
]


def _excel_unicode_text(path: Path, encoding: str = "utf-16") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(ROWS)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def test_excel_unicode_text_loads_with_its_encoding_in_the_mapping(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.format(encoding="encoding: utf-16"), encoding="utf-8")
    source = _excel_unicode_text(tmp_path / "export.txt")
    counts = load(source, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected) == (4, 3, 1)
    got = {r["tx_id"]: r for r in rows(store)}
    assert [(t, got[t]["bene_name"], got[t]["amount"]) for t in sorted(got)] == [
        ("T1", "Budi Santoso", 1234.56),
        ("T2", "Siti\nNurhaliza", 10.5),
        ("T4", "Абу Бакар", 1000.0),
    ]
    assert [r["source_position"] for r in rows(store)] == ["line 2", "line 3", "line 6"]
    assert quarantined(store) == [("line 5", "amount is not a number: tidak ada")]


def test_utf16_without_a_byte_order_mark_by_the_load_option(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.format(encoding=""), encoding="utf-8")
    source = _excel_unicode_text(tmp_path / "export.txt", "utf-16-le")
    options = LoadOptions(mapping=mapping, encoding="utf-16-le")
    assert load(source, "csv", options=options).accepted == 3
    assert {r["bene_name"] for r in rows(store)} >= {"Абу Бакар", "Budi Santoso"}


def test_bytes_that_are_not_utf16_quarantine_their_record_alone(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.format(encoding="encoding: utf-16"), encoding="utf-8")
    source = _excel_unicode_text(tmp_path / "export.txt")
    data = source.read_bytes().replace("Budi".encode("utf-16-le"), b"\x00\xd8")  # a lone surrogate
    source.write_bytes(data)
    counts = load(source, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected) == (4, 2, 2)
    assert quarantined(store) == [
        ("line 2", 'not valid UTF-8 in column "Nama Penerima" (wrong encoding?)'),
        ("line 5", "amount is not a number: tidak ada"),
    ]
