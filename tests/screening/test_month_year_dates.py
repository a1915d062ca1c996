"""A birth date known to the month, written month first (`07/1966`, `7.1966`, `07-1966`), as
identity papers and records with no known day give it: it was "not a date" and the customer
screened without it, though `Jul 1966` and `1966-07` were read. It is the month, its precision
kept (`1966-07`); a number above 12 before the year is no month."""

from __future__ import annotations

import pytest

from jalur.dates import parse_date, usable_dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("07/1966", ("1966-07",)),
        ("7/1966", ("1966-07",)),
        ("7.1966", ("1966-07",)),
        ("07-1966", ("1966-07",)),
        ("00/1966", ("1966",)),  # an unknown month, as `00/00/1966` is read
        ("07/1966 or 08/1966", ("1966-07", "1966-08")),
    ],
)
def test_a_month_and_year_is_that_month(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
    assert tuple(parse_date(text)) == dates


@pytest.mark.parametrize("text", ["13/1966", "31.1966", "7/19660"])
def test_no_month_before_the_year_is_no_date(text: str) -> None:
    assert usable_dates(text) == ()
