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


def test_a_cover_sheet_is_passed_over_and_a_second_customer_sheet_named(tmp_path: Path) -> None:
    """A workbook whose first sheet is a cover (`Keterangan`) was refused as lacking id and
    name; one of two customer sheets (`Perorangan`, `Korporasi`) had its second left unread
    with nothing said."""
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Keterangan"
    cover.append(["Daftar nasabah untuk penyaringan DTTOT"])
    people = book.create_sheet("Perorangan")
    people.append(["No CIF", "Nama Nasabah"])
    people.append(["1001", "Umar Patek"])
    firms = book.create_sheet("Korporasi")
    firms.append(["No CIF", "Nama Nasabah"])
    firms.append(["2001", "PT Sinar Harapan"])
    path = tmp_path / "nasabah.xlsx"
    book.save(path)
    unread: list[str] = []
    report = BatchReport()
    for batch in read_batches(path, on_unread_sheets=unread.extend):
        parse_rows(batch, 1, report, {})
    assert (report.read, report.accepted) == (1, 1)
    assert unread == ["Korporasi"]
