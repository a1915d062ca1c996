"""A country field as an ISO 3166 numeric code (`360` Indonesia, `643` Russia), as core-banking
systems and central-bank reports store nationality, "named no country" and the customer was
screened without it. The numeric codes are read from ISO 3166's own data (the iso-codes data
official names are read from); a number that is no code still names none."""

from __future__ import annotations

import pytest

from jalur.countries import country_code, official_names_source
from jalur.screening.fields import read_query

needs_iso = pytest.mark.skipif(official_names_source() is None, reason="no iso-codes data")


@needs_iso
@pytest.mark.parametrize(
    ("text", "code"),
    [("360", "id"), ("643", "ru"), ("004", "af"), ("4", None), ("999", None), ("3600", None)],
)
def test_a_numeric_code_names_its_country(text: str, code: str | None) -> None:
    assert country_code(text) == code


@needs_iso
def test_a_numeric_code_is_no_warning() -> None:
    query, warnings = read_query("Umar Patek", country="360")
    assert warnings == [] and query.country_codes == ("id",)
