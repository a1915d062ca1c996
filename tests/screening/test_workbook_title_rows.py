"""A workbook whose header is below a title (`Laporan Daftar Nasabah per 31 Desember 2025`,
an empty row, then the header) was refused whole: "input lacks required column(s) ['id',
'name'] (found ['laporan daftar nasabah …'])". Core banking reports put such a title above
the table; the header is the first of the top rows that names the id and name columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jalur.screening.batch import BatchInputError, BatchReport, parse_rows, read_batches


def _book(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "nasabah.xlsx"
    book.save(path)
    return path


def _report(path: Path) -> BatchReport:
    report = BatchReport()
    for batch in read_batches(path):
        parse_rows(batch, 1, report, {})
    return report


def test_the_header_under_a_title_is_found(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["Laporan Daftar Nasabah per 31 Desember 2025"],
            ["Dicetak oleh: SYSTEM", None, "Halaman 1"],
            [],
            ["No CIF", "Nama Nasabah", "Tanggal Lahir", "Kewarganegaraan"],
            ["1001", "Umar Patek", "20.07.1966", "ID"],
            ["1002", "Abu Rusdan", "not a date", "Indonesia"],
            ["1003", None, "1970", "ID"],
        ],
    )
    report = _report(path)
    assert (report.read, report.accepted, report.rejected) == (3, 2, 1)
    # rows are numbered from the header, as in every customer file
    assert [m.split(" is ")[0] for m in report.warning_messages] == [
        "row 2: id 1002: dob 'not a date'"
    ]
    assert report.errors == ["row 3: id 1003: empty name"]
    assert report.unread_columns == []


def test_a_sheet_with_no_header_in_its_top_rows_is_still_refused(tmp_path: Path) -> None:
    path = _book(tmp_path, [["Laporan"], ["a", "b"], ["1001", "Umar Patek"]])
    with pytest.raises(BatchInputError, match=r"lacks required column\(s\) \['id', 'name'\]"):
        _report(path)
