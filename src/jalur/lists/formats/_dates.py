"""Dates as lists write them, to FtM's partial ISO dates ("1960", "1960-08", "1960-08-16").

Birth dates on watchlists are often partial or approximate ("circa 1960", "Aug 1960",
"00/00/1975", "1973 to 1974"); screening compares on whatever precision exists, so a partial
date is kept as a partial date, never padded to a made-up day.
"""

from __future__ import annotations

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januari", "янв"),
            ("feb", "february", "februari", "фев"),
            ("mar", "march", "maret", "мар"),
            ("apr", "april", "апр"),
            ("may", "mei", "мая", "май"),
            ("jun", "june", "juni", "июн"),
            ("jul", "july", "juli", "июл"),
            ("aug", "august", "agustus", "agu", "авг"),
            ("sep", "sept", "september", "сен"),
            ("oct", "october", "oktober", "okt", "окт"),
            ("nov", "november", "ноя"),
            ("dec", "december", "desember", "des", "дек"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:to|-|–|bis|s/d|sampai)\s*(\d{4})$", re.I)
_TO = re.compile(r"\s+(?:to|until|s/d|sampai)\s+", re.I)
_APPROX = re.compile(r"^(?:circa|c\.|ca\.|approximately|approx\.|about|sekitar|около)\s*", re.I)


def parse_date(text: str | None) -> list[str]:
    """Every date a field states, as partial ISO dates; [] when it states none we can read."""
    if not text:
        return []
    value = _APPROX.sub("", " ".join(text.split()).strip(" .;,"))
    if found := _RANGE.match(value):
        start, end = int(found.group(1)), int(found.group(2))
        if 0 <= end - start <= 10:
            return [str(year) for year in range(start, end + 1)]
        return [found.group(1), found.group(2)]
    if len(halves := _TO.split(value)) == 2:
        first, last = _single(halves[0]), _single(halves[1])
        if first and last and 0 <= int(last[:4]) - int(first[:4]) <= 10:
            return [str(year) for year in range(int(first[:4]), int(last[:4]) + 1)]
    single = _single(value)
    return [single] if single else []


def _single(value: str) -> str | None:
    if found := _ISO.match(value):
        return _iso(found.group(1), found.group(2), found.group(3))
    if found := _DMY.match(value):
        return _iso(found.group(3), found.group(2), found.group(1))
    if found := _WORDS.match(value):
        month = _MONTHS.get(found.group(2).lower()[:3]) or _MONTHS.get(found.group(2).lower())
        if month:
            return _iso(found.group(3), str(month), found.group(1))
    return None


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    """Zero months or days ("00/00/1960") mean unknown: keep the precision that is known."""
    y = int(year)
    if not 1000 <= y <= 2999:
        return None
    m = int(month) if month else 0
    d = int(day) if day else 0
    if not 1 <= m <= 12:
        return f"{y:04d}"
    if not 1 <= d <= 31:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"
