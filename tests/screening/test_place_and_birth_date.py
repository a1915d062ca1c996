"""Indonesian customer files give the birth place and date in one column, `Tempat/Tgl Lahir`
or `TTL` (`Jakarta, 20 Juli 1966`; `Jakarta/20-07-1966`), and Russian ones `Дата и место
рождения` (`20.07.1966, г. Москва`). The column was not read (named with the unread columns)
and, given as the birth date, the value was "not a date": the customer was screened without
a birth date the file states. The date is read beside its place, the place passed over."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.dates import usable_dates
from jalur.screening.batch import BatchReport, parse_rows, read_batches


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Jakarta, 20 Juli 1966", ("1966-07-20",)),
        ("Jakarta, 20-07-1966", ("1966-07-20",)),
        ("Jakarta/20-07-1966", ("1966-07-20",)),
        ("Kab. Bogor, 20.07.1966", ("1966-07-20",)),
        ("20.07.1966, г. Москва", ("1966-07-20",)),
        ("July 20, 1966", ("1966-07-20",)),  # a comma of the date itself, as before
    ],
)
def test_a_date_beside_its_place_is_read(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize(
    "text",
    [
        "Jakarta",
        "Jakarta, garbage",
        "Jakarta, 20.07.1966, 21.07.1967",  # two dates: which is the birth date is unknown
        "RT 05, 20.07.1966",  # a piece with digits is no place
    ],
)
def test_no_single_date_beside_a_place_is_no_date(text: str) -> None:
    assert usable_dates(text) == ()


@pytest.mark.parametrize("header", ["Tempat/Tgl Lahir", "TTL", "Tempat Tanggal Lahir"])
def test_the_place_and_date_column_is_read_as_the_birth_date(tmp_path: Path, header: str) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text(f'No CIF;Nama Nasabah;{header}\n1;Umar Patek;"Jakarta, 20 Juli 1966"\n')
    report = BatchReport()
    queries = [q for b in read_batches(path) for q in parse_rows(b, 1, report, {})[1]]
    assert report.unread_columns == [] and report.warning_messages == []
    assert queries[0].birth_dates == ("1966-07-20",)
