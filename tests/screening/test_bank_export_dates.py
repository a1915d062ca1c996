"""Birth dates as banks' exports write them: a spreadsheet's or an accounting system's date
with a time after it, old Indonesian month spellings, two-digit years. Each was a warning and
the birth date was screened without (`jalur.dates`)."""

from __future__ import annotations

import pytest

from jalur.dates import usable_dates


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
