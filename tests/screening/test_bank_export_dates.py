"""Birth dates as banks' exports write them: a spreadsheet's or an accounting system's date
with a time after it, old Indonesian month spellings, two-digit years. Each was a warning and
the birth date was screened without (`jalur.dates`)."""

from __future__ import annotations

import pytest

from jalur.dates import usable_dates
from jalur.screening import Screener
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("7/20/1966 0:00", ("1966-07-20",)),  # Excel's CSV of a date-and-time cell
        ("20/07/1966 00:00", ("1966-07-20",)),
        ("20.07.1966 0:00:00", ("1966-07-20",)),  # 1C and other Russian exports
        ("20-JUL-1966 00:00:00", ("1966-07-20",)),  # Oracle with its time
        ("7/20/1966 12:00 AM", ("1966-07-20",)),
        ("20 Juli 1966 00.00", ("1966-07-20",)),  # Indonesian clocks write a dot
    ],
)
def test_a_time_after_the_day_is_dropped(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # the spelling before 1972 (EYD), still on old KTPs and in records typed from them
        ("5 Djanuari 1960", ("1960-01-05",)),
        ("12 Pebruari 1980", ("1980-02-12",)),
        ("3 Djuni 1961", ("1961-06-03",)),
        ("20 Djuli 1966", ("1966-07-20",)),
        ("10 Nopember 1972", ("1972-11-10",)),
        ("10 Nop 1972", ("1972-11-10",)),
        ("12 Peb 1980", ("1980-02-12",)),
        # Indonesian abbreviations of Agustus
        ("20 Agt 1966", ("1966-08-20",)),
        ("20 Ags 1966", ("1966-08-20",)),
    ],
)
def test_old_indonesian_month_spellings(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # Excel writes a date cell to CSV as it shows it: 'd-mmm-yy', 'm/d/yy' are its formats
        ("20-Jul-66", ("1966-07-20",)),
        ("4-Apr-64", ("1964-04-04",)),
        ("7/20/66", ("1966-07-20",)),
        ("20/07/66", ("1966-07-20",)),
        ("20.07.66", ("1966-07-20",)),  # Russian and Indonesian day-first
        ("20 Juli 66", ("1966-07-20",)),
        # a year both centuries have seen: either may be meant, both are compared
        ("05/03/10", ("1910-03-05", "2010-03-05")),
        ("20.07.66 0:00", ("1966-07-20",)),
    ],
)
def test_a_two_digit_year_is_the_century_it_can_be(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize("text", ["Juli 20", "20.07-66", "12345", "1/2/3", "20.07.966"])
def test_what_is_no_two_digit_year_stays_no_date(text: str) -> None:
    assert usable_dates(text) == ()


def test_a_two_digit_year_counts_as_the_birth_date_it_is(small_screener: Screener) -> None:
    """Abu Bakar Ba'asyir, listed born 1938-08-17: the bank's '17-Aug-38' agrees."""
    query, warnings = read_query("Abu Bakar Ba'asyir", "17-Aug-38", "id")
    assert warnings == []
    features = {c.feature: c.value for c in small_screener.screen(query)[0].features}
    assert features["birth_date"] == 1.0


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # "г.р." (год рождения, year of birth): how Russian records follow a birth date
        ("20.07.1966 г.р.", ("1966-07-20",)),
        ("1966 г.р.", ("1966",)),
        ("1966 г. р.", ("1966",)),
        ("20 июля 1966 года рождения", ("1966-07-20",)),
        ("1966 гр", ("1966",)),
    ],
)
def test_the_russian_year_of_birth_words_are_read_past(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20th July 1966", ("1966-07-20",)),
        ("July 20th, 1966", ("1966-07-20",)),
        ("1st Aug 1966", ("1966-08-01",)),
        ("August 2nd 1966", ("1966-08-02",)),
        ("23rd-Jul-1966", ("1966-07-23",)),
    ],
)
def test_an_english_ordinal_day_is_a_day(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
