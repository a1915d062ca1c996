"""A workbook's row numbers count its empty rows: a warning names the row the analyst finds.

`screen batch` numbers rows after the header (row 1 is the first below it). An empty row of a
workbook is passed over, as it should be, but the rows after it were numbered as if it were not
there: with one empty row above it, the customer on the sheet's 4th row ("row 3") was named
"row 2" — the row above, another customer — and each further empty row moved the names one
more row up.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from jalur.screening.batch import BatchReport, parse_rows, read_batches


def test_rows_after_empty_rows_keep_their_numbers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "dob"])
    sheet.append(["c1", "Umar Patek", "1966-07-20"])  # row 1
    sheet.append([None, None, None])  # row 2: empty
    sheet.append(["c2", "Abu Rusdan", "not a date"])  # row 3
    sheet.append([None, None, None])
    sheet.append([None, "", None])  # rows 4, 5: empty
    sheet.append(["c3", None, "1970"])  # row 6
    sheet.append(["c2", "Hambali", None])  # row 7
    source = tmp_path / "customers.xlsx"
    book.save(source)
    report = BatchReport()
    for batch in read_batches(source):
        parse_rows(batch, 1, report, {})
    assert (report.read, report.accepted, report.rejected) == (4, 2, 2)
    assert [m.split(" is ")[0] for m in report.warning_messages] == [
        "row 3: id c2: dob 'not a date'"
    ]
    assert report.errors[0] == "row 6: id c3: empty name"
    assert report.errors[1].startswith("row 7: id c2: repeated with other data than row 3 ")
    assert report.unread_columns == []  # the row numbers are no column of the file
