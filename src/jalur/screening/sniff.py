"""Which separator a customer or decisions CSV uses, read from its header line.

Spreadsheets in comma-decimal locales (Indonesia, most of Europe) save CSV with ';'; read with
',' such a file is one column and not one row could be screened or cleared.
"""

from __future__ import annotations

import csv
import re

#: Separators a file may use; the header tells which.
DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(header: str) -> str:
    """The separator that splits `header` into the most columns; ',' wins a tie."""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])


#: Excel's separator line: `sep=;` as the first line tells Excel which separator the file uses
#: whatever the locale, and exports meant for Excel write one before the header.
_SEPARATOR_LINE = re.compile(r"^sep=(.)$", re.IGNORECASE)


def separator_hint(line: str) -> str | None:
    """The separator a first line `sep=X` names (X one of `DELIMITERS`), or None when the line
    is no such hint (it is then the header)."""
    found = _SEPARATOR_LINE.match(line.lstrip("\ufeff").rstrip("\r\n"))
    return found.group(1) if found and found.group(1) in DELIMITERS else None
