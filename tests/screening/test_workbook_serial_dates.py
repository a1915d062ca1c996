"""A workbook's birth-date column as a number (`24308`): Excel keeps a date as the count of
days since 1899-12-30 and shows it as a date only through the cell's format; an export that
loses the format (a column formatted "General" or "Number") leaves the serial number. It was
`dob '24308' is not a date`, screened without; a whole number of five digits in the birth-date
column of a workbook is read as the date Excel means. A year (`1966`) and a core system's
`19660720` stay what they are, and a CSV file's numbers are not guessed at."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from jalur.screening.batch import BatchReport, parse_rows, read_batches


def _queries(path: Path) -> tuple[BatchReport, list]:
    report = BatchReport()
    queries: list = []
    for batch in read_batches(path):
        queries += parse_rows(batch, 1, report, {})[1]
    return report, queries


def test_an_excel_serial_in_the_birth_date_column_is_its_date(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "Tanggal Lahir", "NIK"])
    sheet.append([1, "Umar Patek", 24308, 24308])  # 1966-07-20
    sheet.append([2, "Abu Rusdan", 22144.0, None])  # 1960-08-16, as a float cell
    sheet.append([3, "Hambali", 1964, None])  # a year
    sheet.append([4, "Dulmatin", 19700606, None])  # YYYYMMDD
    path = tmp_path / "nasabah.xlsx"
    book.save(path)
    report, queries = _queries(path)
    assert report.warning_messages == []
    assert [q.birth_dates for q in queries] == [
        ("1966-07-20",), ("1960-08-16",), ("1964",), ("1970-06-06",),
    ]  # fmt: skip
    assert queries[0].identifier == "24308"  # only the birth date is a date


def test_a_number_in_a_csv_birth_date_column_is_not_guessed_at(tmp_path: Path) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text("id,name,dob\n1,Umar Patek,24308\n", encoding="utf-8")
    report, queries = _queries(path)
    assert queries[0].birth_dates == () and len(report.warning_messages) == 1
