"""Currencies jalur knows and the static rate table that gives every payment a reporting amount.

Monitoring compares amounts across currencies (an IDR cash deposit against a USD wire), so each
payment also carries `amount_reporting`. The rates are a documented static table shipped as data
(`data/rates.csv`, USD per unit, approximate values as of 2025-01-02), not live rates; a workspace
points `[transactions] rates` in jalur.toml at its own file with the same two columns.
A currency outside ISO 4217 (plus a few crypto-asset tickers) is unknown and the record is
quarantined; a known currency without a rate keeps `amount_reporting` empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pyarrow as pa
from babel.core import get_global
from babel.numbers import list_currencies

from jalur.model import REPORTING_CURRENCY


class RateTableError(ValueError):
    """The configured rate file cannot be used."""


@dataclass(frozen=True)
class RateTable:
    """USD per unit for each currency with a rate, and the reporting currency."""

    usd_per_unit: dict[str, float]
    reporting: str = REPORTING_CURRENCY

    def factor(self, currency: str) -> float | None:
        """Multiply an amount in `currency` by this to get the reporting currency."""
        rate, target = self.usd_per_unit.get(currency), self.usd_per_unit.get(self.reporting)
        return None if rate is None or target is None else rate / target

    def as_arrow(self) -> pa.Table:
        """(currency, factor, digits) for every known currency, for the SQL normaliser:
        `digits` is its minor units (`minor_units`), NULL where none bounds an amount."""
        codes = sorted(known_currencies() | set(self.usd_per_unit))
        return pa.table(
            {
                "currency": codes,
                "factor": [self.factor(code) for code in codes],
                "digits": [minor_units(code) for code in codes],
            },
            schema=pa.schema(
                [("currency", pa.string()), ("factor", pa.float64()), ("digits", pa.int32())]
            ),
        )


#: ISO 4217's minor units where CLDR (babel) rounds a currency to whole units for display
#: because its fractions are out of use: ISO still lists them, and a payment may carry them
#: (`1500.125 IQD`). Without this a bank's dinar payment with fils would be quarantined.
_ISO_WHERE_CLDR_ROUNDS = {
    **dict.fromkeys(
        ("AFN", "ALL", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK", "RSD", "SLL", "SOS", "SYP"), 2
    ),
    **dict.fromkeys(("YER", "MRO", "STD", "ZMK", "ZWD"), 2),
    "IQD": 3,
}
#: ISO 4217 codes of things that are not money with a minor unit (metals, SDR, bond units,
#: test and "no currency" codes): ISO gives them none ("N.A.").
_NO_MINOR_UNIT = frozenset(
    [
        "XAG",
        "XAU",
        "XBA",
        "XBB",
        "XBC",
        "XBD",
        "XDR",
        "XEU",
        "XFO",
        "XFU",
        "XPD",
        "XPT",
        "XRE",
        "XSU",
        "XTS",
        "XUA",
        "XXX",
    ]
)


@cache
def minor_units(currency: str) -> int | None:
    """Decimals an amount in `currency` may have (ISO 4217 minor units: USD 2, JPY 0, KWD 3),
    or None where there is no such bound (crypto-assets, gold, an unknown code).

    Taken from CLDR's currency data in babel (the source of `currencies.csv`), with ISO's
    own value where CLDR rounds for display (`_ISO_WHERE_CLDR_ROUNDS`)."""
    code = currency.upper()
    if code in _ISO_WHERE_CLDR_ROUNDS:
        return _ISO_WHERE_CLDR_ROUNDS[code]
    fractions = get_global("currency_fractions")
    if code in fractions:
        return int(fractions[code][0])
    if code in _NO_MINOR_UNIT or code not in list_currencies():
        return None
    return int(fractions["DEFAULT"][0])


@cache
def known_currencies() -> frozenset[str]:
    text = resources.files("jalur.transactions").joinpath("data/currencies.csv").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line and line[0] != "#")


def _parse_rates(lines: list[str], source: str) -> dict[str, float]:
    rows = csv.DictReader(line for line in lines if line.strip() and not line.startswith("#"))
    rates: dict[str, float] = {}
    for number, row in enumerate(rows, start=2):
        try:
            code, value = row["currency"].strip().upper(), float(row["usd_per_unit"])
        except (KeyError, ValueError, AttributeError) as exc:
            raise RateTableError(f"{source}: row {number}: {exc!r}") from exc
        if not value > 0:
            raise RateTableError(f"{source}: row {number}: rate must be positive")
        rates[code] = value
    return rates


def load_rates(path: Path | None = None, reporting: str = REPORTING_CURRENCY) -> RateTable:
    """The bundled table, or the user's file; `reporting` must have a rate."""
    if path is None:
        text = resources.files("jalur.transactions").joinpath("data/rates.csv").read_text("utf-8")
        source = "bundled rates.csv"
    else:
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise RateTableError(f"{path}: {exc}") from exc
    rates = _parse_rates(text.splitlines(), source)
    if reporting.upper() not in rates:
        raise RateTableError(f"{source}: no rate for reporting currency {reporting}")
    return RateTable(rates, reporting.upper())
