"""A customer whose name is a title only ("Mr.", "H. Hj."): a record with no name in it.

It was screened and found nothing, in silence, and "no hits" must not read as "cleared" (an
empty name is refused for that reason). It is still screened as written (a listed alias may be
a form of address: "Haji Sahib"), and a warning names the row, the field and the value, so
the record is fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchReport, parse_rows, read_batches
from jalur.screening.fields import read_query


@pytest.mark.parametrize("name", ["Mr.", "H. Hj.", "DR", "Mrs Prof. Dr.", "Ir.", "Ｍｒ．"])
def test_a_name_of_titles_only_is_screened_with_a_warning(name: str) -> None:
    query, warnings = read_query(name)
    assert query.name == name  # screened as written
    (warning,) = warnings
    assert warning.field == "name" and warning.value == name
    assert str(warning).startswith(f"name {name!r} is only a title")
    assert "screened as written" in str(warning)


@pytest.mark.parametrize(
    "name", ["Dr. Umar Patek", "H. Abu Bakar Baasyir", "Maulana", "Haji Sahib", "Habib", "Mr. X"]
)
def test_a_name_beside_its_title_or_a_name_that_is_a_title_is_no_warning(name: str) -> None:
    """A word that is also a name (Maulana, Habib, Haji: single names and forms of address
    alike in Indonesia) is not flagged; only abbreviated and Western titles are."""
    assert read_query(name)[1] == []


def test_a_batch_row_names_the_row_field_and_value(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("id,name\nc1,Umar Patek\nc2,Mr.\n")
    report = BatchReport()
    for batch in read_batches(source):
        ids, _ = parse_rows(batch, 1, report, {})
    assert ids == ["c1", "c2"]  # both screened
    assert (report.read, report.accepted, report.rejected, report.warnings) == (2, 2, 0, 1)
    assert report.warning_messages[0].startswith("row 2: id c2: name 'Mr.' is only a title")


@pytest.mark.parametrize("name", ["3201010101010001", "12345", "1.234.567", "+62 812 3456"])
def test_a_name_without_a_letter_is_screened_with_a_warning(name: str) -> None:
    """A number in the name column (a shifted column, the NIK typed into the name): screened
    as written, as before, but no longer in silence."""
    query, warnings = read_query(name)
    assert query.name == name
    (warning,) = warnings
    assert str(warning).startswith(f"name {name!r} has no letter")


@pytest.mark.parametrize("name", ["3M", "7-Eleven", "王", "Umar Patek 2", "محمد"])
def test_a_name_with_a_letter_in_any_script_is_no_warning(name: str) -> None:
    assert read_query(name)[1] == []
