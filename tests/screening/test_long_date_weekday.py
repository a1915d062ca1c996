"""A birth date in Excel's long date format, a weekday first (`Wednesday, July 20, 1966`;
Indonesian Excel's `Rabu, 20 Juli 1966`; Russian `среда, 20 июля 1966 г.`), as a CSV saved
from a sheet with that format writes it, was "not a date" and the customer was screened
without it. The weekday says nothing the day does not: it is read past."""

from __future__ import annotations

import pytest

from jalur.dates import usable_dates


@pytest.mark.parametrize(
    "text",
    [
        "Wednesday, July 20, 1966",
        "Wed, 20 Jul 1966",
        "Rabu, 20 Juli 1966",
        "Rabu, 20 Juli 1966 00.00",
        "Jumat, 20 Juli 1966",
        "среда, 20 июля 1966 г.",
        "Среда, 20.07.1966",
    ],
)
def test_a_weekday_before_the_date_is_read_past(text: str) -> None:
    assert usable_dates(text) == ("1966-07-20",)


@pytest.mark.parametrize("text", ["Wednesday", "Rabu, garbage", "Sunday, 1966-13-01"])
def test_a_weekday_alone_or_before_no_date_is_no_date(text: str) -> None:
    assert usable_dates(text) == ()
