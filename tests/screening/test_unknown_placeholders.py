"""A bank's export writes an unknown birth date, citizenship or identity number as a word or a
dash (`-`, `N/A`, `NULL`, `tidak diketahui`, `неизвестно`): each row gave a warning that the
value "is not a date" or "names no country", so a file of 100,000 customers buried its real
warnings under 100,000 of these. A placeholder states that nothing is known: it is read as an
empty field. A value that is a code elsewhere (`NA`, Namibia) is never one."""

from __future__ import annotations

import pytest

from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    "placeholder",
    ["-", "--", "—", "N/A", "n/a", "NULL", "null", "None", "Unknown", "?",
     "Tidak diketahui", "TIDAK ADA", "неизвестно", "Не указано", "нет данных",
     "0000-00-00", "0000-00-00 00:00:00", "00.00.0000", "00/00/0000", "0"],
)  # fmt: skip
def test_a_placeholder_is_an_empty_field(placeholder: str) -> None:
    query, warnings = read_query("Ivan Petrov", placeholder, placeholder, placeholder)
    assert warnings == []
    assert (query.birth_date, query.country, query.identifier) == (None, None, None)


def test_a_code_is_no_placeholder() -> None:
    query, warnings = read_query("Ivan Petrov", None, "NA")
    assert warnings == [] and query.country_code == "na"
    _, warnings = read_query("Ivan Petrov", "n.d.", None)
    assert [w.field for w in warnings] == ["dob"]  # no placeholder we know: still named
