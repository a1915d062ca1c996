"""Excel's `sep=;` line: a first line that tells Excel the file's separator, written by
exports meant to open in Excel in any locale. It was read as the header (one column `sep=`):
every row was rejected as a line with more cells than the header, exit 4, nothing screened.
It now gives the separator, the header is the line after it, and rows are numbered from the
first below the header as in any file."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from jalur.screening import Screener, screen_file
from jalur.screening.decisions import read_clearings


def _screen(screener: Screener, source: Path, out: Path):  # type: ignore[no-untyped-def]
    rows = partial(screener.batch_rows, threshold=screener.config.threshold)
    return screen_file(rows, source, out)


@pytest.mark.parametrize(("hint", "sep"), [("sep=;", ";"), ("SEP=|", "|"), ("sep=,", ",")])
def test_the_separator_line_gives_the_separator(
    small_screener: Screener, tmp_path: Path, hint: str, sep: str
) -> None:
    source = tmp_path / "customers.csv"
    lines = ["id,name,dob", "c1,Abu Bakar Baasyir,17.08.1938", "c2,,1970", "", "c3,A,B,C"]
    text = "\r\n".join(lines).replace(",", sep)
    source.write_bytes(f"\ufeff{hint}\r\n{text}\r\n".encode())  # Excel's BOM, then the hint
    report = _screen(small_screener, source, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected) == (3, 1, 2)
    assert report.hits == 1
    bad_line, no_name = sorted(report.errors, key=lambda e: "line" not in e)
    assert no_name == "row 2: id c2: empty name"
    assert bad_line.startswith("row 4: a line with 4 cell(s) where the header has 3")  # 3 blank


def test_a_clearing_file_with_a_separator_line(tmp_path: Path) -> None:
    source = tmp_path / "decisions.csv"
    source.write_text("sep=;\ncustomer;entity;reason\nc1;un-sc-1;not him, born 1980\n")
    assert list(read_clearings(source)) == [
        ("row 1", {"customer": "c1", "entity": "un-sc-1", "reason": "not him, born 1980"})
    ]
