"""A birth date with the month's abbreviation between day and year and no separator, as SAS
(`DATE9.`: `20JUL1966`, `DATE7.`: `20JUL66`) and mainframe reports write it, was "not a date"
and the customer screened without it. Read as the day, month and year it states."""

from __future__ import annotations

import pytest

from jalur.dates import usable_dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20JUL1966", ("1966-07-20",)),
        ("05dec1972", ("1972-12-05",)),
        ("20JUL66", ("1966-07-20",)),
        ("20AGU1966", ("1966-08-20",)),  # an Indonesian abbreviation
    ],
)
def test_a_compact_day_month_year_is_read(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


@pytest.mark.parametrize("text", ["20XYZ1966", "20JUL", "JUL1966X"])
def test_a_compact_form_with_no_month_is_no_date(text: str) -> None:
    assert usable_dates(text) == ()
