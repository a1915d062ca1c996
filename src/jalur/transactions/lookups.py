"""Code tables readers share, as data: source spellings of currencies and payment channels.

The loader registers them as `tx_lookup(kind, name, code)`; a reader's field map looks a raw
value up by lower-cased name and keeps the raw value when the table has no entry.
"""

from __future__ import annotations

import pyarrow as pa

#: IBM AMLworld writes currency names, not ISO codes.
CURRENCY_NAMES = {
    "us dollar": "USD",
    "euro": "EUR",
    "yuan": "CNY",
    "yen": "JPY",
    "rupee": "INR",
    "ruble": "RUB",
    "uk pound": "GBP",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "swiss franc": "CHF",
    "brazil real": "BRL",
    "mexican peso": "MXN",
    "saudi riyal": "SAR",
    "shekel": "ILS",
    "bitcoin": "BTC",
}

#: Canonical channels: wire, ach, cash, cheque, card, crypto, internal, reinvestment, other.
CHANNELS = {
    "wire": "wire",
    "ach": "ach",
    "cheque": "cheque",
    "check": "cheque",
    "credit card": "card",
    "card": "card",
    "cash": "cash",
    "cash-in": "cash",
    "cash-out": "cash",
    "deposit": "cash",
    "bitcoin": "crypto",
    "crypto": "crypto",
    "reinvestment": "reinvestment",
    "transfer": "wire",
    "credit": "wire",
    "trf": "wire",
    "cred": "wire",
}


def lookup_table() -> pa.Table:
    rows = [("currency", k, v) for k, v in CURRENCY_NAMES.items()]
    rows += [("channel", k, v) for k, v in CHANNELS.items()]
    kinds, names, codes = zip(*rows, strict=True)
    return pa.table({"kind": list(kinds), "name": list(names), "code": list(codes)})


def lookup_sql(kind: str, expr: str) -> str:
    """SQL for "the code of `expr` in table `kind`, else `expr`" (`kind` is a code constant)."""
    assert kind.isidentifier()
    return (
        f"coalesce((SELECT code FROM tx_lookup WHERE kind = '{kind}' "
        f"AND name = lower(trim({expr}))), lower(trim({expr})))"
    )
