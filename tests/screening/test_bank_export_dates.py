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
