"""Blank lines of a customer CSV: not rows, but the rows after them keep their place in the file.

The CSV reader passed over blank lines by itself, so a message after one named the row one up:
`row 3` for what the analyst's editor shows as the fourth row below the header, where another
customer stands.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from jalur.screening import Screener, screen_file


def _screen(screener: Screener, source: Path, out: Path):  # type: ignore[no-untyped-def]
    rows = partial(screener.batch_rows, threshold=screener.config.threshold)
    return screen_file(rows, source, out)


def test_rows_after_blank_lines_are_named_by_their_place(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,name,dob\n"
        "c1,Abu Bakar Baasyir,1938\n"  # row 1
        "\n"  # row 2: blank
        "c2,,1970\n"  # row 3: no name
        "   \n"  # row 4: spaces only: a line of one cell, rejected as such
        "\n"  # row 5: blank
        "c3,Budi Santoso,1980-02-30\n"  # row 6: a date that is none
        "c4,Nikolay Patrushev,\n"  # row 7
    )
    report = _screen(small_screener, source, tmp_path / "hits.csv")
    assert sorted(report.errors) == [
        "row 3: id c2: empty name", "row 4: a line with 1 cell(s) where the header has 3: '   '"
    ]  # fmt: skip
    assert report.warning_messages[0].startswith("row 6: id c3: dob '1980-02-30'")
    # blank lines are neither read nor rejected: the counts are the lines with something on
    assert (report.read, report.accepted, report.rejected, report.duplicates) == (5, 3, 2, 0)


def test_a_bad_line_after_blank_lines_is_named_by_its_place(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text('id,name\r\n\r\nc1,"Hambali\r\n\r\nbin X"\r\n\r\nc2,A,B\r\nc3,,\r\n')
    report = _screen(small_screener, source, tmp_path / "hits.csv")
    # row 1 blank, row 2 a quoted name over three lines (its blank line is no row), row 3
    # blank, row 4 one cell too many, row 5 likewise
    assert sorted(report.errors) == [
        "row 4: a line with 3 cell(s) where the header has 2: 'c2,A,B'",
        "row 5: a line with 3 cell(s) where the header has 2: 'c3,,'",
    ]


def test_a_repeat_after_a_blank_line_names_both_rows_by_their_place(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("id,name\nc1,Hambali\n\n\nc1,Budi Santoso\n")
    report = _screen(small_screener, source, tmp_path / "hits.csv")
    assert report.errors and report.errors[0].startswith("row 4: id c1: repeated")
    assert "row 1" in report.errors[0]


def test_a_clearing_file_names_rows_by_their_place(tmp_path: Path) -> None:
    """The bulk `screen clear` file: Python's CSV reader passed over blank lines too."""
    from jalur.screening.decisions import _UNREADABLE, read_clearings

    path = tmp_path / "clear.csv"
    path.write_text("customer,entity,reason\nc1,u1,not him\n\nc2,u2,\n\nc3,u3,a,b\n")
    rows = list(read_clearings(path))
    assert [label for label, _ in rows] == ["row 1", "row 3", "row 5"]
    assert rows[1][1] == {"customer": "c2", "entity": "u2", "reason": ""}
    assert "4 cells where the header has 3" in rows[2][1][_UNREADABLE]
