"""An MT103's value date is `YYMMDD` (field 32A): the century is not written. Every year was
read as 20YY, so an archive's wire of 31 December 1999 was a payment in 2099 that monitoring
placed eighty years ahead. As date libraries read two-digit years (Java's 80–20 window, which
SWIFT libraries use), a year more than 20 years ahead is the last century's."""

from __future__ import annotations

import datetime as dt

import pytest

from jalur.transactions.readers.mt103 import parse_message

MESSAGE = (
    "{1:F01BANKIDJAAXXX0000000000}{2:I103BANKRUMMXXXXN}{4:\n:20:R1\n"
    ":32A:{date}IDR1000,\n:50K:/1\nSITI\n:59:/2\nJOKO\n-}"
)


@pytest.mark.parametrize(
    ("date", "timestamp"),
    [("991231", "1999-12-31"), ("850101", "1985-01-01"), ("240315", "2024-03-15")],
)
def test_the_value_dates_century(date: str, timestamp: str) -> None:
    record = parse_message(MESSAGE.replace("{date}", date))
    assert str(record["timestamp"]).startswith(timestamp)


def test_a_year_up_to_twenty_ahead_is_this_century() -> None:
    ahead = (dt.date.today().year + 20) % 100
    record = parse_message(MESSAGE.replace("{date}", f"{ahead:02d}0101"))
    assert str(record["timestamp"]).startswith(f"20{ahead:02d}-01-01")
