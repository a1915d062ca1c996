"""A CSV line with the wrong number of cells is named by its row, and the rows after it keep
their numbers.

The CSV reader passes over such a line (it is rejected, by its text); the rows after it were
numbered as if it were not there: in the file below the customer on row 3 was named "row 2" (the
rejected line's row) and the one on row 6 "row 4", each warning pointing at another customer.
"""

from __future__ import annotations

from pathlib import Path

from jalur.screening.batch import BatchReport, screen_file

CSV = (
    "id,name,dob\n"
    "c1,Umar Patek,1960\n"  # row 1
    "c2,Budi,1960,extra\n"  # row 2: four cells
    "c3,Abu Rusdan,bad\n"  # row 3
    '"c4","Siti\nRahayu",1960\n'  # row 4: a line break in a quoted name
    "c5,x,1960,y\n"  # row 5: four cells
    "c6,Hambali,worse\n"  # row 6
)


def _read(path: Path) -> BatchReport:
    return screen_file(lambda queries: [[] for _ in queries], path, path.with_name("hits.csv"))


def test_rows_after_a_bad_line_keep_their_numbers(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(CSV, encoding="utf-8")
    report = _read(source)
    assert (report.read, report.accepted, report.rejected) == (6, 4, 2)
    assert [m.split(" is ")[0] for m in report.warning_messages] == [
        "row 3: id c3: dob 'bad'",
        "row 6: id c6: dob 'worse'",
    ]
    assert report.errors == [
        "row 2: a line with 4 cell(s) where the header has 3: 'c2,Budi,1960,extra'",
        "row 5: a line with 4 cell(s) where the header has 3: 'c5,x,1960,y'",
    ]
