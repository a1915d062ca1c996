"""Birth dates with a space after each dot, as Russian and German records write them
(`20. 07. 1966`, `20. Juli 1966`, Hungarian `1966. 07. 20.`): each was a warning, and the
customer was screened without the birth date (`jalur.dates`)."""

from __future__ import annotations

import pytest

from jalur.dates import parse_date, usable_dates
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20. 07. 1966", ("1966-07-20",)),
        ("20. 7. 1966", ("1966-07-20",)),
        ("20.07. 1966", ("1966-07-20",)),
        ("20. 07. 1966 г.", ("1966-07-20",)),
        ("20. 07. 66", ("1966-07-20",)),
        ("20. Juli 1966", ("1966-07-20",)),  # German: the day is an ordinal, written `20.`
        ("1966. 07. 20.", ("1966-07-20",)),  # Hungarian, year first
        ("20. VII. 1966", ("1966-07-20",)),
    ],
)
def test_a_space_after_each_dot_is_read_past(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
    assert tuple(parse_date(text)) == dates


def test_the_spaced_date_is_no_warning() -> None:
    query, warnings = read_query("Ivan Petrov", birth_date="20. 07. 1966")
    assert warnings == [] and query.birth_dates == ("1966-07-20",)


@pytest.mark.parametrize("text", ["20. 13. 1966", "32. 07. 1966", "20. 07."])
def test_a_spaced_non_date_is_still_no_date(text: str) -> None:
    assert usable_dates(text) == ()
