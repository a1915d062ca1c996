"""A warning quotes a long refining value cut short, with its length.

A customer file's `dob`, `country` or `identifier` cell of 50,000 characters (a column shifted
by a stray quote, a pasted document) was quoted whole in its warning: one row printed 180 KB on
the terminal, and `--json` keeps up to 1,000 warning messages — 180 MB for such a file. The name
is screened without the value, as before; the warning names it by its start and its length.
A row repeating an id with other data quoted both values whole too.
"""

from __future__ import annotations

from pathlib import Path

from jalur.screening.batch import BatchReport, parse_rows, read_batches
from jalur.screening.fields import FieldWarning, read_query


def test_a_long_value_is_quoted_cut_with_its_length() -> None:
    _, warnings = read_query("Umar Patek", "1" * 50_000, "X" * 60_000, "-" * 70_000)
    shown = [str(w) for w in warnings]
    assert [len(s) < 300 for s in shown] == [True, True, True], shown
    assert shown[0].startswith(f"dob '{'1' * 60}…' (50,000 characters) is not a date")
    assert shown[1].startswith(f"country '{'X' * 60}…' (60,000 characters) names no country")
    assert "(70,000 characters) has fewer than 4 letters" in shown[2]
    assert [w.value for w in warnings] == ["1" * 50_000, "X" * 60_000, "-" * 70_000]  # kept


def test_a_short_value_is_quoted_whole() -> None:
    warning = FieldWarning("dob", "x" * 80, "is not a date")
    assert str(warning) == f"dob '{'x' * 80}' is not a date; screened without it"


def test_a_repeated_id_quotes_long_values_cut(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(f"id,name,dob\nc1,Umar Patek,1966\nc1,Umar Patek,{'9' * 50_000}\n")
    report = BatchReport()
    for batch in read_batches(source):
        parse_rows(batch, 1, report, {})
    (error,) = report.errors
    assert len(error) < 300, error[:400]
    assert f"(dob '{'9' * 60}…' (50,000 characters), not '1966')" in error
