"""Birth dates as core-banking and database exports write them are read, not warned about.

A customer file exported from a database writes a date column as `1972-08-10 00:00:00` (SQL's
timestamp text; `2001-10-15T00:00:00` was read, the same with a space was not), Oracle's
default `16-JUL-1969`, a mainframe's `19690716`, a Korean or Chinese core system `1969.07.16`.
Each was "not a date": every customer of such a file was screened without a birth date, the
warning repeated on every row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.dates import parse_date, usable_dates
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("1972-08-10 00:00:00", ("1972-08-10",)),
        ("1972-08-10 00:00", ("1972-08-10",)),
        ("1972-08-10 00:00:00.000", ("1972-08-10",)),
        ("1972-8-10 13:45:00", ("1972-08-10",)),
        ("16-JUL-1969", ("1969-07-16",)),
        ("16-Jul-1969", ("1969-07-16",)),
        ("10-Agustus-1972", ("1972-08-10",)),
        ("JUL-1969", ("1969-07",)),
        ("19690716", ("1969-07-16",)),
        ("1969.07.16", ("1969-07-16",)),
        ("1969.7.16", ("1969-07-16",)),
        # still no date: a month or day the calendar lacks, a time that is no time
        ("19691316", ()),
        ("19690230", ()),
        ("1972-08-10 banana", ()),
        ("1972-08-10 25", ()),
        ("16-Foo-1969", ()),
        ("123456789", ()),
    ],
)
def test_export_forms(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates
    assert parse_date(text) == list(dates)


def test_no_warning_for_an_exported_timestamp() -> None:
    query, warnings = read_query("Umar Patek", "1966-07-20 00:00:00")
    assert warnings == [] and query.birth_dates == ("1966-07-20",)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(
        ["{y}-{m:02d}-{d:02d} 00:00:00", "{y}{m:02d}{d:02d}", "{y}.{m:02d}.{d:02d}",
         "{d:02d}-{mon}-{y}", "{d}-{MON}-{y}"]
    ),
)  # fmt: skip
def test_any_real_day_reads_back_in_each_export_form(day: dt.date, form: str) -> None:
    mon = day.strftime("%b")
    text = form.format(y=day.year, m=day.month, d=day.day, mon=mon, MON=mon.upper())
    assert usable_dates(text) == (day.isoformat(),)
