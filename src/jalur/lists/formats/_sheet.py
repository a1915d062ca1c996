"""Rows of a national list as published: a CSV file, or an Excel workbook (.xlsx).

Indonesia's DTTOT is published by PPATK as a spreadsheet, and agencies keep their own lists in
Excel: reading the workbook itself spares the analyst a "save as CSV" that mangles dates and
encodings. Each row comes with its place ("line 7", "sheet 'DTTOT' row 7") so that an error
names the exact cell row. Cells are text: a date cell becomes its ISO date, a whole number
its digits (a NIK typed into Excel is a number cell, and must not read "3.17e+15").
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from jalur.inputs import UNREADABLE_WORKBOOK, workbook_problem
from jalur.lists.errors import ListLoadError
from jalur.lists.formats._text import decode, read_bytes

#: First bytes of a zip archive (an .xlsx workbook is one) and of an old binary .xls workbook.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"

Row = tuple[str, list[str]]


def is_workbook(path: Path) -> bool:
    """Whether the file is an Excel workbook (by its first bytes, not its name)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    return head in (_ZIP, _OLE)


def csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Row]:
    """The CSV file's rows, each with its line number."""
    source = str(path)
    text = decode(source, read_bytes(path), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield f"line {reader.line_num}", cells
    except csv.Error as exc:
        raise ListLoadError(source, f"line {reader.line_num}", f"malformed CSV: {exc}") from None


def workbook_sheets(path: Path) -> list[tuple[str, list[Row]]]:
    """Every sheet of an .xlsx workbook: its name and its rows (cells as text)."""
    source = str(path)
    with path.open("rb") as handle:
        if handle.read(4) == _OLE:
            raise ListLoadError(
                source, "file", "an old binary Excel workbook (.xls): save it as .xlsx or CSV"
            )
    if problem := workbook_problem(path):
        raise ListLoadError(source, "file", problem)
    from openpyxl import load_workbook  # only list loading needs it: keep it off other paths

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it ignores; they hold no entries
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
    except UNREADABLE_WORKBOOK as exc:
        raise ListLoadError(source, "file", f"not a readable .xlsx workbook: {exc}") from None
    try:
        return [(sheet.title, list(_sheet_rows(sheet))) for sheet in book.worksheets]
    except UNREADABLE_WORKBOOK as exc:  # a sheet's XML is parsed only as its rows are read
        raise ListLoadError(source, "file", f"not a readable .xlsx workbook: {exc}") from None
    finally:
        book.close()


def _sheet_rows(sheet: Any) -> Iterator[Row]:
    # A forged `<dimension>` (A1:XFD1048576) would pad every row to 16,384 cells: not believed.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield f"sheet {sheet.title!r} row {number}", [cell_text(v) for v in values]


def cell_text(value: object) -> str:
    """A cell as the text a person reads in it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
