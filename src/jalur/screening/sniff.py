"""Which separator a customer or decisions CSV uses, read from its header line.

Spreadsheets in comma-decimal locales (Indonesia, most of Europe) save CSV with ';'; read with
',' such a file is one column and not one row could be screened or cleared.
"""

from __future__ import annotations

import csv

#: Separators a file may use; the header tells which.
DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(header: str) -> str:
    """The separator that splits `header` into the most columns; ',' wins a tie."""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d])
