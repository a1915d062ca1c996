"""The builder's intermediate form: a goAML shape's values before the profile orders them.

A `Record` is one goAML shape (a person, an account, a transaction…) with the values the case
provides, keyed by the source names a profile may use (`profile.SOURCES`), and a label in the
analyst's words ("subject 'Abu Rusdan'", "payment t4") that every problem found in it carries.
The helpers here turn case values into goAML's text forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Context, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

SHOWN_LENGTH = 60
#: Significant decimal digits a float64 (the payment table's amount) always holds exactly.
FLOAT_DIGITS = 15


class Explained:
    """A value that could not be made, whose problem is already told: no second "missing"."""


EXPLAINED = Explained()


@dataclass
class Record:
    """One goAML shape's values (text, nested records or lists of either) and its label."""

    kind: str
    label: str
    values: dict[str, Any] = field(default_factory=dict)


def shown(value: object) -> str:
    """A value quoted for a message: control characters escaped, long text cut."""
    text = str(value)
    return repr(text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "...")


def clean(value: object) -> str | None:
    """Text without surrounding blanks, or None when there is nothing."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def sql_date(value: date | datetime | None, zone: ZoneInfo) -> str | None:
    """goAML's `sql_date` (a dateTime without zone) in the FIU's local time.

    Aware times (payments are stored in UTC) are converted to the FIU's zone; naive ones and
    plain dates are taken as already local.
    """
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    elif value.tzinfo is not None:
        value = value.astimezone(zone).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat()


def ftm_date(value: str | None, zone: ZoneInfo) -> str | None:
    """An FtM date as `sql_date` when it is a full day; partial dates (`1965`) give None."""
    if value is None or len(value) < 10:
        return None
    try:
        return sql_date(date.fromisoformat(value[:10]), zone)
    except ValueError:
        return None


def amount(value: Any) -> Decimal | None:
    """A finite number as a Decimal (floats through their shortest text), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def paid_text(value: Decimal, places: int) -> str:
    """A payment's own amount as it was paid: every decimal it has, at least `places`.

    A sub-unit amount (0.001 USD, 0.00012345 BTC) is what moved and is not rounded away.
    Only a value with more significant digits than a float64 holds (0.30000000000000004
    from arithmetic on the float payment table) is float noise, rounded to `places`.
    """
    _, digits, exponent = value.as_tuple()  # exponent: -(digits after the point), finite
    if len(digits) > FLOAT_DIGITS or not isinstance(exponent, int) or exponent >= -places:
        return decimal_text(value, places)
    return format(value, "f")


def decimal_text(value: Decimal, places: int) -> str:
    """A plain decimal (no exponent) rounded half-even to `places` digits after the point."""
    digits = max(value.adjusted(), 0) + places + 2
    rounded = value.quantize(Decimal(1).scaleb(-places), context=Context(prec=digits))
    return format(rounded.copy_abs() if rounded.is_zero() else rounded, "f")  # never "-0.00"
