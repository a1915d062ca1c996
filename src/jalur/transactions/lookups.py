"""Code tables readers share, as data: source spellings of currencies and payment channels.

The loader registers them as `tx_lookup(kind, name, code)`; a reader's field map looks a raw
value up by lower-cased name and keeps the raw value when the table has no entry.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa
from babel import Locale

from jalur.transactions.rates import known_currencies

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


#: Locales whose currency names and symbols a payment's currency is read from besides its code
#: (the languages of the banks' exports jalur reads, as `jalur.countries`).
CURRENCY_LOCALES = ("en", "id", "ru")
#: Symbols more than one currency writes (`$`: US, Australian, Canadian … dollars; `¥`: yen
#: and yuan; `£`; `Rs`: the rupees; `р.` the old rouble): never guessed, the record is
#: quarantined as an unknown currency and the mapping's `constants:` names the right one.
AMBIGUOUS_SYMBOLS = frozenset({"$", "¥", "£", "rs", "р.", "¤", "kr", "fr."})
#: Spellings of bank exports that CLDR names no currency by: the word alone, abbreviations.
SPELLINGS = {
    "rupiah": "IDR", "rp.": "IDR", "ringgit": "MYR", "rm": "MYR", "s$": "SGD",
    "руб": "RUB", "руб.": "RUB", "рубль": "RUB", "рубля": "RUB", "рублей": "RUB",
    "рубли": "RUB", "rub.": "RUB", "euro": "EUR", "евро": "EUR",
}  # fmt: skip


@cache
def currency_spellings() -> dict[str, str]:
    """Lower-cased currency names and unambiguous symbols → ISO 4217 code (`rp`, `rupiah`,
    `rupiah indonesia`, `€`, `российский рубль` …). A spelling that is itself a currency code
    is left out: a code always reads as itself."""
    codes = known_currencies()
    found: dict[str, set[str]] = {}
    for locale in CURRENCY_LOCALES:
        cldr = Locale(locale)
        for code, name in cldr.currencies.items():
            found.setdefault(name.lower(), set()).add(code)
        for code, symbol in cldr.currency_symbols.items():
            if symbol.lower() not in AMBIGUOUS_SYMBOLS:
                found.setdefault(symbol.lower(), set()).add(code)
    spelled = {name: next(iter(c)) for name, c in found.items() if len(c) == 1}
    spelled |= SPELLINGS
    return {
        name: code
        for name, code in spelled.items()
        if name.upper() not in codes and code in codes and name.strip() == name
    }


def currency_of(text: str) -> str:
    """The ISO code of a currency as written (`Rp` → `IDR`), else the text upper-cased (a
    code, or what the loader names an unknown currency)."""
    return currency_spellings().get(text.strip().lower(), text.strip().upper())


def lookup_table() -> pa.Table:
    rows = [("currency", k, v) for k, v in CURRENCY_NAMES.items()]
    rows += [("channel", k, v) for k, v in CHANNELS.items()]
    rows += [("spelt_currency", k, v) for k, v in currency_spellings().items()]
    kinds, names, codes = zip(*rows, strict=True)
    return pa.table({"kind": list(kinds), "name": list(names), "code": list(codes)})


def lookup_sql(kind: str, expr: str) -> str:
    """SQL for "the code of `expr` in table `kind`, else `expr`" (`kind` is a code constant)."""
    assert kind.isidentifier()
    return (
        f"coalesce((SELECT code FROM tx_lookup WHERE kind = '{kind}' "
        f"AND name = lower(trim({expr}))), lower(trim({expr})))"
    )
