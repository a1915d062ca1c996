"""Birth years as a range with a two-digit end (`1963-64`, `1963/64`) and months in Roman
numerals (`20.VII.1966`, as Russian and Indonesian records write them). Each was a warning and
the birth date was screened without (`jalur.dates`)."""

from __future__ import annotations

import pytest

from jalur.dates import parse_date, usable_dates
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("1963-64", ("1963", "1964")),
        ("1963/64", ("1963", "1964")),
        ("1963 - 64", ("1963", "1964")),
        ("1963–64", ("1963", "1964")),
        ("1998-2000", ("1998", "1999", "2000")),
        ("1999-01", ("1999-01",)),  # a month, as ISO writes one, not a range of years
        ("1999/12", ("1999-12",)),
    ],
)
def test_a_range_with_a_two_digit_end_is_its_years(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


def test_a_two_digit_end_runs_into_the_next_century() -> None:
    assert usable_dates("1998-13") == ()  # 1998 to 2013: too wide to compare
    assert parse_date("1998-13") == ["1998", "2013"]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20.VII.1966", ("1966-07-20",)),
        ("20 VII 1966", ("1966-07-20",)),
        ("20-VII-1966", ("1966-07-20",)),
        ("20. VII. 1966", ("1966-07-20",)),
        ("20.vii.1966", ("1966-07-20",)),
        ("1.VIII.1966", ("1966-08-01",)),  # not read by its first three letters as July
        ("3.IV.1980", ("1980-04-03",)),
        ("3.IX.1980", ("1980-09-03",)),
        ("31.XII.1980", ("1980-12-31",)),
        ("XI.1980", ("1980-11",)),
        ("20.VII.66", ("1966-07-20",)),
    ],
)
def test_a_roman_month_is_its_month(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize("text", ["20.XIII.1966", "20.IIII.1966", "20.VX.1966", "31.II.1980"])
def test_what_is_no_roman_month_stays_no_date(text: str) -> None:
    assert usable_dates(text) == ()


@pytest.mark.parametrize("text", ["1963-64", "20.VII.1966"])
def test_these_forms_are_no_warning(text: str) -> None:
    _, warnings = read_query("Ivan Petrov", text, "ru")
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("1963-1964 гг.", ("1963", "1964")),  # гг.: годы, the years of a range
        ("1963-64 гг.", ("1963", "1964")),
        ("1963-64гг", ("1963", "1964")),
        ("20.VII.1966 0:00", ("1966-07-20",)),  # with a time, as other day-first dates
        ("ок. 1960", ("1960",)),  # около, abbreviated
        ("прибл. 1960", ("1960",)),  # приблизительно
    ],
)
def test_russian_record_forms(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
