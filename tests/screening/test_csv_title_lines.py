"""A CSV saved from a core-banking report keeps the report's title lines above the header
(`Laporan Daftar Nasabah`, an empty line, `Dicetak: 2025-12-31`): the first line was read as
the header and the file refused as lacking id and name. The header is the first of the top 20
lines naming the id and name columns, as in a workbook; rows are numbered from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchInputError, BatchReport, screen_file


def _screen(path: Path, tmp_path: Path) -> tuple[BatchReport, list[str]]:
    names: list[str] = []

    def screen(queries: list) -> list[list]:
        names.extend(q.name for q in queries)
        return [[] for _ in queries]

    return screen_file(screen, path, tmp_path / "hits.csv"), names


def test_the_header_under_title_lines_is_found(tmp_path: Path) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text(
        "Laporan Daftar Nasabah\n\nDicetak: 2025-12-31;Halaman 1\n"
        "No CIF;Nama Nasabah;Tgl Lahir\n"
        "c1;Umar Patek;20.07.1966\n\nc2;;1970\nc3;Abu Rusdan;not a date\nc4;x;y;z\n",
        encoding="utf-8",
    )
    report, names = _screen(path, tmp_path)
    assert names == ["Umar Patek", "Abu Rusdan"]
    assert (report.read, report.accepted, report.rejected) == (4, 2, 2)
    assert sorted(error[:40] for error in report.errors) == [
        "row 3: id c2: empty name",
        "row 5: a line with 4 cell(s) where the h",
    ]
    assert [m.split(" is ")[0] for m in report.warning_messages] == [
        "row 4: id c3: dob 'not a date'"
    ]


def test_a_file_with_no_header_in_its_top_lines_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text("Laporan\nc1;Umar Patek\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match=r"lacks required column"):
        _screen(path, tmp_path)
