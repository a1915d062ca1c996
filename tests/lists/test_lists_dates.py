"""Partial and approximate dates as lists write them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.lists.formats._dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1960-08-16", ["1960-08-16"]),
        ("16 Aug 1960", ["1960-08-16"]),
        ("16 Agustus 1960", ["1960-08-16"]),
        ("Aug 1960", ["1960-08"]),
        ("circa 1960", ["1960"]),
        ("00/00/1975", ["1975"]),
        ("00/08/1975", ["1975-08"]),
        ("19.07.1970", ["1970-07-19"]),
        ("1973 to 1974", ["1973", "1974"]),
        ("01 Jan 1961 to 31 Dec 1962", ["1961", "1962"]),
        ("2001-10-15T00:00:00", ["2001-10-15"]),
        ("unknown", []),
        ("", []),
    ],
)
def test_examples(text: str, expected: list[str]) -> None:
    assert parse_date(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_and_returns_iso_prefixes(text: str) -> None:
    for value in parse_date(text):
        assert len(value) in (4, 7, 10) and value[:4].isdigit()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_ofac_remarks_never_raise_and_keep_what_they_cannot_place(text: str) -> None:
    """Any remark text: parsed or kept in notes, never an exception."""
    from jalur.lists.formats import _build as b
    from jalur.lists.formats.ofac_common import apply_remarks

    party = b.subject("Person", "ofac-1", "1")
    documents, provisions = apply_remarks(party, text)
    assert all(d.get("holder") == ["ofac-1"] for d in documents)
    assert all(isinstance(p, str) for p in provisions)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.one_of(st.none(), st.text(max_size=20)))
def test_identifier_of_any_label_number_country(
    label: str, number: str, country: str | None
) -> None:
    from jalur.lists.formats import _build as b

    party = b.subject("Organization", "x-1", "1")
    doc = b.identifier(party, label, number, country=country)
    if doc is not None:
        assert doc.get("holder") == ["x-1"]
