"""Ukrainian records follow a year with `р.` (рік) or `р.н.` (рік народження, year of birth),
as Russian ones with `г.` and `г.р.`: `20.07.1966 р.` was "not a date"."""

from __future__ import annotations

import pytest

from jalur.dates import usable_dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20.07.1966 р.", ("1966-07-20",)),
        ("1966 р.н.", ("1966",)),
        ("20 липня 1966 р.", ("1966-07-20",)),
        ("1963-1964 рр.", ("1963", "1964")),
    ],
)
def test_ukrainian_year_words_are_read_past(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
