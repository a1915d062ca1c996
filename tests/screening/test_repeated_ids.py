"""A customer id repeated with another name is named, never dropped unscreened in silence.

A repeated id was counted as a duplicate and its row skipped whatever it held: a file with
`c9,Budi Santoso` and then `c9,Abu Bakar Baasyir` screened only Budi Santoso, said nothing of
the second name, and exited as if every customer had been screened. A row that repeats its id's
first row is still a duplicate; one that repeats the id with other data is refused, naming
both rows, so the officer gives each party its own id.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow.csv as pacsv

from jalur.screening import Screener, screen_file

CSV = """id,name,dob
c9,Budi Santoso,1980
c9,Budi Santoso,1980
c9,Abu Bakar Baasyir,
c8,Nikolay Patrushev,
c8,Nikolay  Patrushev,
c8,Nikolay Patrushev,1951
"""


def test_a_repeated_id_with_another_name_is_refused_naming_both_rows(
    small_screener: Screener, tmp_path: Path
) -> None:
    source, out = tmp_path / "customers.csv", tmp_path / "hits.csv"
    source.write_text(CSV)
    rows = partial(small_screener.batch_rows, threshold=small_screener.config.threshold)
    report = screen_file(rows, source, out)
    assert (report.read, report.accepted, report.rejected, report.duplicates) == (6, 2, 2, 2)
    assert report.errors == [
        "row 3: id c9: repeated with other data than row 1 (name 'Abu Bakar Baasyir',"
        " not 'Budi Santoso'): give each party its own id",
        "row 6: id c8: repeated with other data than row 4 (dob '1951', not ''):"
        " give each party its own id",
    ]
    hits = pacsv.read_csv(out).to_pylist()
    assert {h["id"] for h in hits} == {"c8"}
