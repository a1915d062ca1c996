"""Dates as people and lists write them, to FtM's partial ISO dates ("1960", "1960-08", …).

Birth dates on watchlists and in customer files are often partial or approximate ("circa 1960",
"Aug 1960", "00/00/1975", "1963-1964", "1972-08-10 or 1972-08-11", "10 августа 1972"):
matching compares on whatever precision exists, so a partial date stays a partial date (never
padded to a made-up day), a range of years becomes the set of its years and alternatives the set
of the alternatives. One reader serves list loading, screening and payments alike.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

#: A range of years is read as the set of its years up to this width ("1963-1964", "1970 to
#: 1975"); a wider one says little about a person: lists keep its two ends, a customer's
#: date is not compared (`usable_dates`).
MAX_RANGE_YEARS = 10

#: Month names and abbreviations in English, Indonesian (with the spellings from before the 1972
#: reform, `Djuli`, `Pebruari`, `Nopember`, still on old identity cards and the records typed
#: from them, and `Agt`/`Ags` for Agustus), Russian and Ukrainian (`липня`); a word is looked
#: up by its first three letters, then whole.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januari", "djan", "djanuari", "янв", "січ"),
            ("feb", "february", "februari", "peb", "pebruari", "фев", "лют"),
            ("mar", "march", "maret", "мар", "бер"),
            ("apr", "april", "апр", "кві"),
            ("may", "mei", "мая", "май", "тра"),
            ("jun", "june", "juni", "djun", "djuni", "июн", "чер"),
            ("jul", "july", "juli", "djul", "djuli", "июл", "лип"),
            ("aug", "august", "agustus", "agu", "agt", "ags", "авг", "сер"),
            ("sep", "sept", "september", "сен", "вер"),
            ("oct", "october", "oktober", "okt", "окт", "жов"),
            ("nov", "november", "nop", "nopember", "ноя", "лис"),
            ("dec", "december", "desember", "des", "дек", "гру"),
        ],
        start=1,
    )
    for name in names
}

#: `1969-07-16`, `1969/7/16`, `1969.07.16` (East Asian systems), with a time after the day as a
#: database export writes one (`1969-07-16 00:00:00`, `T00:00:00`), and its zone (PostgreSQL's
#: `timestamptz`: `1969-07-16 00:00:00+07`, `Z`): the time says nothing of a birth date and
#: is dropped.
_ISO = re.compile(
    r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2})(?:\s\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?)?)?"
    r"(?:T.*)?$"
)
#: A time after a day (`7/20/1966 0:00` from Excel's CSV of a date-and-time cell, `20.07.1966
#: 0:00:00` from 1C, `20 Juli 1966 00.00` with an Indonesian clock's dot, `12:00 AM`): like
#: the ISO form's, it says nothing of a birth date and is dropped before the day is read.
_TIME = re.compile(r"\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?$")
#: An English ordinal day (`20th July 1966`, `July 20th, 1966`): read as its number.
_ORDINAL = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
#: `19690716`: a mainframe's or core-banking system's date, year first.
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
#: `07/1966`, `7.1966`: a month and its year, as papers with no known day give a birth date.
_MY = re.compile(r"^(\d{1,2})[./-](\d{4})$")
#: `16 July 1969`, `16-JUL-1969` (Oracle's default), `Jul 1969`, `Agustus 1972`, and German's
#: ordinal day with its dot (`16. Juli 1969`).
_WORDS = re.compile(r"^(?:(\d{1,2})\.?[\s-])?([^\W\d_]+)\.?,?[\s-](\d{4})$")
#: A two-digit year after a day and a month, as Excel writes a date cell to CSV in its formats
#: `d-mmm-yy` and `m/d/yy` (`20-Jul-66`, `7/20/66`) and Russian and Indonesian records write it
#: (`20.07.66`): the same separator twice, or a month word after the day.
_DMY_SHORT = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2})$")
_WORDS_SHORT = re.compile(r"^(\d{1,2})[\s-]([^\W\d_]+)\.?,?[\s-](\d{2})$")
#: A weekday before a date, as Excel's long date format writes it (`Wednesday, July 20, 1966`;
#: Indonesian `Rabu, 20 Juli 1966`; Russian `среда, 20 июля 1966 г.`): read past, the day
#: says all it says.
_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur"
    r"|thurs|fri|sat|sun|senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс)"
    r"\.?,\s*",
    re.IGNORECASE,
)
#: A month's abbreviation between day and year with no separator, as SAS (`DATE9.`:
#: `20JUL1966`; `DATE7.`: `20JUL66`) and mainframe reports write a date: read with spaces.
_COMPACT_WORDS = re.compile(r"^(\d{1,2})([^\W\d_]{3})(\d{4}|\d{2})$")
#: A dot between numbers with spaces after it (`20. 07. 1966`, Hungarian `1966. 07. 20.`), as
#: Russian and German records write a date: read as the dot alone.
_SPACED_DOT = re.compile(r"(?<=\d)\.\s+(?=\d)")
_MDY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:to|-|–|bis|s/d|sampai|по)\s*(\d{4})$", re.I)
#: A range whose end has two digits (`1963-64`, `1963/64`): read as one only when the two digits
#: are no month (`1999-01` is January 1999, as ISO writes it).
_SHORT_RANGE = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2})$")
_TO = re.compile(r"\s+(?:to|until|s/d|sampai|по)\s+", re.I)
_BETWEEN = re.compile(r"^(?:between|antara|между|с)\s+(.+?)\s+(?:and|dan|и|по)\s+(.+)$", re.I)
_OR = re.compile(r"\s+(?:or|atau|или)\s+|\s*;\s*", re.I)
_APPROX = re.compile(
    r"^(?:circa|c\.|ca\.?|approximately|approx\.?|about|around|sekitar|kira-kira|около|примерно"
    r"|прибл\.|ок\.)"
    r"\s*",
    re.I,
)
#: A month in Roman numerals between a day and a year (`20.VII.1966`, `20 VII 1966`, `XI.1980`),
#: as Russian, Polish and Indonesian records write it; read whole (`VIII` is not `VII`).
_ROMAN = re.compile(r"^(?:(\d{1,2})\s*[\s./-]\s*)?([IVXivx]{1,4})\s*[\s./-]\s*(\d{4}|\d{2})$")
_ROMAN_MONTHS = {
    numeral: number
    for number, numeral in enumerate(
        ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"), start=1
    )
}
#: Russian words after a year: "г." (год), "гг." (годы, after a range: `1963-1964 гг.`), and
#: "г.р." / "года рождения" (year of birth), as Russian records follow a birth date
#: (`1966 г.р.`), and Ukrainian's "р." (рік) and "р.н." (рік народження).
_YEAR_WORD = re.compile(
    r"\s*(?:г\.?\s*р\.?|гр|гг\.?|г\.?|года|год|р\.?\s*н\.?|рр\.?|р\.?|року)"
    r"(?:\s+(?:рождения|народження))?$",
    re.I,
)


def parse_date(text: str | None) -> list[str]:
    """Every date a field states, as partial ISO dates; [] when it states none we can read.

    A range wider than `MAX_RANGE_YEARS` gives its two ends (what a list says of it).
    """
    return list(_dates(" ".join(text.split()), wide=True)) if text else []


def usable_dates(text: str | None) -> tuple[str, ...]:
    """The dates a customer's field states, for comparison as a set; () when none is usable.

    Unlike `parse_date`, a range wider than `MAX_RANGE_YEARS` is no usable date: its two ends
    are not what the customer said. Cached: a customer file repeats the same few forms.
    """
    return _usable(" ".join(text.split())) if text else ()


@lru_cache(maxsize=65_536)
def _usable(text: str) -> tuple[str, ...]:
    """A customer's dates, read beside a place too (lists read the place apart, and keep it)."""
    found = _dates(text, wide=False)
    if not found and (beside := _PLACE_FIRST.match(text) or _PLACE_LAST.match(text)):
        found = _dates(beside.group(1), wide=False)
    return found


def _dates(text: str, wide: bool) -> tuple[str, ...]:
    found: list[str] = []
    for alternative in _OR.split(text.strip(" .;,")):
        for date in _one(alternative.strip(" .,"), wide):
            if date not in found:
                found.append(date)
    return tuple(found)


#: A birth date beside its place, as Indonesian `Tempat/Tgl Lahir` (`TTL`) and Russian `Дата и
#: место рождения` columns give it (`Jakarta, 20 Juli 1966`, `Jakarta/20-07-1966`, `20.07.1966,
#: г. Москва`): the place (letters, no digit) is passed over, the rest read as the date.
_PLACE_FIRST = re.compile(r"^[^\W\d_][^\d,/;]*[,/]\s*(.*\d.*)$")
_PLACE_LAST = re.compile(r"^(.*\d.*?)\s*,\s*[^\W\d_][^\d,/;]*$")


def _one(text: str, wide: bool) -> list[str]:
    value = _SPACED_DOT.sub(".", _YEAR_WORD.sub("", _APPROX.sub("", _WEEKDAY.sub("", text))))
    value = _COMPACT_WORDS.sub(r"\1 \2 \3", value)
    if found := _BETWEEN.match(value):
        value = f"{found.group(1)} to {found.group(2)}"
    if found := _RANGE.match(value):
        return _years(int(found.group(1)), int(found.group(2)), wide)
    if (found := _SHORT_RANGE.match(value)) and int(found.group(2)) > 12:
        return _years(*_short_range(int(found.group(1)), int(found.group(2))), wide)
    value = _roman_month(value)
    if len(halves := _TO.split(value)) == 2:
        first, last = _single(halves[0]), _single(halves[1])
        if first and last:
            return _years(int(first[:4]), int(last[:4]), wide)
        return []
    single = _single(value)
    return [single] if single else _short_year(value)


def _short_range(start: int, two_digits: int) -> tuple[int, int]:
    """The years a range with a two-digit end spans: the end in the start's century, or in the
    next where it would come before the start (`1998-13` is 1998 to 2013)."""
    end = start - start % 100 + two_digits
    return start, end if end >= start else end + 100


def _roman_month(value: str) -> str:
    """`20.VII.1966` as `20.7.1966` and `XI.1980` as `1980-11`, for the readers of numbers;
    a value with no Roman month is returned as it came."""
    found = _ROMAN.match(_TIME.sub("", value))
    if not found or (month := _ROMAN_MONTHS.get(found.group(2).lower())) is None:
        return value
    day, year = found.group(1), found.group(3)
    if day:
        return f"{day}.{month}.{year}"
    return f"{year}-{month}" if len(year) == 4 else value


def _short_year(value: str) -> list[str]:
    """A day and month with a two-digit year, read in each century it can be: `66` is 1966
    (2066 has not come), `10` is 1910 or 2010 (both are compared, as alternatives are)."""
    value = _TIME.sub("", value)
    if found := _DMY_SHORT.match(value):
        forms = [f"{found.group(1)}/{found.group(3)}/{year}" for year in _centuries(found.group(4))]
    elif found := _WORDS_SHORT.match(value):
        forms = [f"{found.group(1)} {found.group(2)} {year}" for year in _centuries(found.group(3))]
    else:
        return []
    return [date for form in forms if (date := _single(form))]


def _centuries(two_digits: str) -> list[int]:
    """The years a two-digit year can be, oldest first: not one still to come."""
    years = [1900 + int(two_digits), 2000 + int(two_digits)]
    return [year for year in years if year <= dt.date.today().year]


def _years(start: int, end: int, wide: bool) -> list[str]:
    if 0 <= end - start <= MAX_RANGE_YEARS:
        return [str(year) for year in range(start, end + 1) if 1000 <= year <= 2999]
    return [str(start), str(end)] if wide else []


def _single(value: str) -> str | None:
    value = _ORDINAL.sub(r"\1", _TIME.sub("", value))
    if found := _ISO.match(value):
        return _iso(found.group(1), found.group(2), found.group(3))
    if found := _COMPACT.match(value):
        return _iso(found.group(1), found.group(2), found.group(3))
    if found := _DMY.match(value):
        day, month = found.group(1), found.group(2)
        if int(month) > 12 >= int(day) > 0:  # 07/16/1969: only month-first reads
            day, month = month, day
        return _iso(found.group(3), month, day)
    if found := _MY.match(value):
        return _iso(found.group(2), found.group(1), None)
    if found := _WORDS.match(value):
        month = _month(found.group(2))
        return _iso(found.group(3), str(month), found.group(1)) if month else None
    if found := _MDY.match(value):
        month = _month(found.group(1))
        return _iso(found.group(3), str(month), found.group(2)) if month else None
    return None


def _month(word: str) -> int | None:
    lowered = word.lower()
    return _MONTHS.get(lowered[:3]) or _MONTHS.get(lowered)


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    """Zero months or days ("00/00/1960") mean unknown: keep the precision that is known.

    A month or day the calendar lacks ("1980-02-30", "1969-13-01") is no date at all: which
    part is wrong is unknown.
    """
    y = int(year)
    if not 1000 <= y <= 2999:
        return None
    m = int(month) if month else 0
    d = int(day) if day else 0
    if m == 0:
        return f"{y:04d}"
    if m > 12:
        return None
    if d == 0:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
