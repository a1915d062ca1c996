"""A UTF-16 customer file is read as what its byte-order mark says it is.

Excel's "Unicode Text" export is UTF-16 with a byte-order mark. Read as UTF-8 it was refused
with "give the file's encoding (--encoding cp1252 for Windows Western)": following that advice
reads every other byte as a NUL. Then it was refused naming UTF-16, and the officer had to run
it again with `--encoding utf-16`: the byte-order mark says which encoding it is, so it is read
as that (a file without one is still read as UTF-8 unless told).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchReport, file_encoding, screen_file
from jalur.screening.decisions import read_clearings


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_read_as_its_byte_order_mark_says(tmp_path: Path, codec: str) -> None:
    source = tmp_path / "customers.txt"
    source.write_bytes("\ufeffid\tname\tdob\nc1\tUmar Patek\t1966\n\nc2\tАбу\tnot\n".encode(codec))
    assert file_encoding(source) == "utf-16"
    names: list[str] = []

    def screen(queries: list) -> list[list]:
        names.extend(q.name for q in queries)
        return [[] for _ in queries]

    report: BatchReport = screen_file(screen, source, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected) == (2, 2, 0)
    assert names == ["Umar Patek", "Абу"]
    assert [m.split(" is ")[0] for m in report.warning_messages] == ["row 3: id c2: dob 'not'"]


def test_the_encoding_told_is_kept_without_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_bytes("id,name\nc1,Umar Patek\n".encode("cp1252"))
    assert file_encoding(source, "cp1252") == "cp1252"
    assert file_encoding(source) == "utf-8"


def test_a_utf16_clearings_file_is_read_too(tmp_path: Path) -> None:
    source = tmp_path / "cleared.txt"
    source.write_bytes("customer\tentity\treason\nc1\tofac-1\tother person\n".encode("utf-16"))
    rows = list(read_clearings(source))
    assert [(label, row["customer"]) for label, row in rows] == [("row 1", "c1")]
