"""A party's refining fields, read as well as they can be: none ever keeps a name unscreened.

A birth date, country, identifier or schema only refines a match; a customer let through
unscreened because one of them was written unexpectedly is the worst way for a screener to
fail. So each value is read by the shared readers (`jalur.dates`, `jalur.countries`), and one
that cannot be used becomes a `FieldWarning` naming the field and the value, and the name is
screened without it. The same reading serves `screen name`, `screen batch`, payment parties
and the customers remembered for re-screening.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jalur.countries import country_codes, unread_countries
from jalur.dates import MAX_RANGE_YEARS, parse_date, usable_dates
from jalur.screening.entities import clean_identifier
from jalur.screening.features import Query
from jalur.screening.text import to_latin, tokens_of, unmask

#: The FtM schemata a screened party may be.
SCHEMATA = frozenset({"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel"})
#: Customer files' words for them (case and spacing are ignored): FtM names, the two that bank
#: exports use for a person and (in British spelling) an organisation, and the customer types
#: of Indonesian (`Jenis Nasabah`: `Perorangan`, `Badan Usaha`) and Russian (`ФЛ`, `ЮЛ`, `ИП`:
#: an individual entrepreneur is a person) core-banking systems.
_SCHEMA_WORDS = {
    **{name.casefold(): name for name in SCHEMATA},
    "individual": "Person",
    "organisation": "Organization",
    "corporate": "Company",
    "perorangan": "Person", "perseorangan": "Person", "individu": "Person", "pribadi": "Person",
    "badan usaha": "Company", "perusahaan": "Company", "korporasi": "Organization",
    "фл": "Person", "физическое лицо": "Person", "ип": "Person",
    "индивидуальный предприниматель": "Person",
    "юл": "Organization", "юридическое лицо": "Organization",
}  # fmt: skip
#: Identifiers are compared on letters and digits (`entities.clean_identifier`); fewer than
#: this many say nothing (as `features.identifier` holds).
MIN_IDENTIFIER = 4
#: Characters of a value a warning quotes; a longer one is cut, with its length said.
SHOWN_VALUE = 80


#: Titles that are never a name (abbreviated, or Western forms of address): a name of these
#: alone is a record without its name. Words that are titles and names alike in Indonesia
#: (Haji, Maulana, Habib, Raden) are not among them.
TITLES_ONLY = frozenset({
    "mr", "mrs", "ms", "miss", "sir", "dr", "drs", "dra", "ir", "prof", "h", "hj", "kh", "engr",
    "gen", "col", "maj", "capt",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """A value that could not be used as given: a refining value the name was screened
    without, or a name that is only a title (screened as written)."""

    field: str
    value: str
    reason: str
    outcome: str = "screened without it"

    def __str__(self) -> str:
        return f"{self.field} {quoted(self.value)} {self.reason}; {self.outcome}"


def quoted(value: str) -> str:
    """The value as a warning quotes it: whole up to `SHOWN_VALUE` characters, else its start
    and its length (a 50,000-character cell was quoted whole: 180 KB of terminal for a row)."""
    if len(value) <= SHOWN_VALUE:
        return repr(value)
    return f"{value[:60] + '…'!r} ({len(value):,} characters)"


def read_query(
    name: str,
    birth_date: str | None = None,
    country: str | None = None,
    identifier: str | None = None,
    schema: str | None = None,
) -> tuple[Query, list[FieldWarning]]:
    """The query with every usable refining value, and a warning for each unusable one (and
    for a name that is only a title: screened all the same)."""
    warnings: list[FieldWarning] = []
    if (problem := _name_problem(name)) is not None:
        warnings.append(
            FieldWarning(
                "name", name, problem, "screened as written: give the customer's name in the record"
            )
        )
    dob = _usable(_text(birth_date), "dob", _date_problem, warnings)
    place = _countries(_text(country), warnings)
    ident = _usable(_text(identifier), "identifier", _identifier_problem, warnings)
    kind = _text(schema)
    canonical = _SCHEMA_WORDS.get(" ".join(kind.casefold().split())) if kind else None
    if kind and canonical is None:
        warnings.append(FieldWarning("schema", kind, f"is not one of {sorted(SCHEMATA)}"))
    return Query(name, dob, place, ident, canonical), warnings


def _name_problem(name: str) -> str | None:
    """Why a name that can be screened is no name all the same: no letter or digit at all
    (`-`, as a payment's name field may hold), only a title, or a number (a shifted column,
    an identity number typed in the name's place). Such a name finds
    nothing, and its "no hits" must not pass for "cleared" in silence."""
    if not _ALNUM.search(name):  # a payment's `-`; a customer file refuses it
        return "has no letter or digit: nothing to match"
    if _only_titles(name):
        return "is only a title, no name"
    if _DIGIT.search(name) and not _LETTER.search(name):
        return "has no letter: a number, not a name (a column shifted?)"
    return None


#: A letter or digit, a digit, a letter (Unicode's, as `str.isalnum`, `isdecimal`, `isalpha`
#: read them): searched in C, where a loop over the characters in Python cost every screened
#: name a microsecond and a half (1,000,000 names: 1.5 processor seconds).
_ALNUM, _DIGIT, _LETTER = re.compile(r"[^\W_]"), re.compile(r"\d"), re.compile(r"[^\W\d_]")


def _only_titles(name: str) -> bool:
    """Whether every word of the name is a title (`Mr.`, `H. Hj.`, full-width `Ｍｒ．` too):
    screened, such a name finds nothing, and "no hits" must not pass for "cleared"."""
    if name.isascii():  # nearly every name: a regular expression is a tenth of the cost
        return _ASCII_TITLES.fullmatch(name.lower()) is not None  # fails at the first name
    words = [to_latin(word) for word in tokens_of(unmask(name).text)]
    return bool(words) and all(word in TITLES_ONLY for word in words)


#: An ASCII name (lower case) of titles only, one or more, around any separators.
_ASCII_TITLES = re.compile(
    r"[^a-z0-9]*(?:(?:" + "|".join(sorted(TITLES_ONLY, key=len, reverse=True))
    + r")(?![a-z0-9])[^a-z0-9]*)+"
)  # fmt: skip


#: What bank exports write for a value nobody knows (a birth date, a citizenship, an identity
#: number), in English, Indonesian and Russian, casefolded: an empty field, not a value that
#: "is not a date". No code of a country is among them (`NA` is Namibia's).
UNKNOWN_VALUES = frozenset({
    "-", "--", "---", "—", "–", ".", "?", "n/a", "null", "none", "nil", "unknown", "not known",
    "not available", "tidak diketahui", "tidak ada", "tdk diketahui", "неизвестно",
    "не известно", "не указано", "нет данных",
})  # fmt: skip


def _text(value: str | None) -> str | None:
    """A refining field's value, stripped; None when empty or a placeholder for "unknown"."""
    stripped = value.strip() if value else None
    return None if not stripped or is_unknown(stripped) else stripped


def is_unknown(value: str) -> bool:
    """Whether a refining field's value says nobody knows it (`UNKNOWN_VALUES`, or zeros
    alone): read as an empty field, with no warning."""
    return (
        " ".join(value.casefold().split()) in UNKNOWN_VALUES
        or _ZEROS.fullmatch(value.strip()) is not None
    )


#: Zeros and separators alone: a database's zero date (`0000-00-00 00:00:00`, `00.00.0000`)
#: or a core system's `0` for no identity number, as unknown as `N/A`.
_ZEROS = re.compile(r"[0\s./:-]*0[0\s./:-]*")


def _usable(
    value: str | None,
    field: str,
    problem: Callable[[str], str | None],
    warnings: list[FieldWarning],
) -> str | None:
    """The value when `problem` finds none, else None and a warning."""
    if value is None:
        return None
    reason = problem(value)
    if reason is None:
        return value
    warnings.append(FieldWarning(field, value, reason))
    return None


def _date_problem(value: str) -> str | None:
    if usable_dates(value):
        return None
    if parse_date(value):
        return f"is a range wider than {MAX_RANGE_YEARS} years"
    return "is not a date (1969, 1969-07-16, 16.07.1969, 16 July 1969, 1963-1964, … or …)"


_NO_COUNTRY = "names no country (ISO 3166 code, English, Indonesian or Russian name, demonym)"


def _countries(value: str | None, warnings: list[FieldWarning]) -> str | None:
    """The country field when it names a country (several, for dual nationality: `RU; UA`),
    else None and a warning; a part naming none (`Atlantis` of `RU; Atlantis`) is a warning of
    its own, and the customer is screened with the countries the rest names."""
    if value is None:
        return None
    codes = country_codes(value)
    if not codes:
        warnings.append(FieldWarning("country", value, _NO_COUNTRY))
        return None
    unread = [part for part in unread_countries(value) if not is_unknown(part)]
    if unread:
        parts = ", ".join(quoted(part) for part in unread)
        warnings.append(
            FieldWarning(
                "country",
                value,
                f"has a part that {_NO_COUNTRY}: {parts}",
                f"screened with {', '.join(codes)}",
            )
        )
    return value


def _identifier_problem(value: str) -> str | None:
    if len(clean_identifier(value)) >= MIN_IDENTIFIER:
        return None
    return f"has fewer than {MIN_IDENTIFIER} letters or digits"


def inert(text: str) -> str:
    """An id, a column name or a reason from a file as a message shows it: every character
    that is not printable (an ESC that recolours or clears the terminal, a BEL, U+202E that
    shows what follows reversed) written as Python writes it (`\\x1b`, `\\u202e`), the rest
    as it is. Values are quoted (`!r`) already; an id is shown bare, so it was printed raw."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)
