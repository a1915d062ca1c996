"""A country by its official Indonesian name, as identity documents and government forms write
it ("Federasi Rusia", "Kerajaan Arab Saudi"): each was a warning, screened without the country
(`jalur.countries`)."""

from __future__ import annotations

import pytest

from jalur.countries import country_code
from jalur.screening import Screener
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Federasi Rusia", "ru"), ("Kerajaan Arab Saudi", "sa"), ("Republik Rakyat Tiongkok", "cn"),
        ("Republik Islam Iran", "ir"), ("Republik Arab Suriah", "sy"), ("Republik Irak", "iq"),
        ("Republik Islam Pakistan", "pk"), ("Kerajaan Malaysia", "my"), ("Republik Filipina", "ph"),
        ("Republik Federal Jerman", "de"), ("Republik Sosialis Vietnam", "vn"),
        ("Negara Brunei Darussalam", "bn"), ("Republik Rakyat Bangladesh", "bd"),
        ("Kesultanan Oman", "om"), ("Negara Qatar", "qa"), ("Republik Arab Mesir", "eg"),
        ("Republik Demokratik Rakyat Laos", "la"), ("Republik Demokratik Timor Leste", "tl"),
        ("Republik Federal Somalia", "so"), ("REPUBLIK  YAMAN", "ye"),
        # where the state's form tells two states apart, the form decides
        ("Republik Demokratik Rakyat Korea", "kp"), ("Republik Korea", "kr"),
        ("Republik Demokratik Kongo", "cd"), ("Republik Kongo", "cg"), ("Republik Tiongkok", "tw"),
        ("Persatuan Kerajaan Britania Raya dan Irlandia Utara", "gb"),
        # Indonesia itself: the Unitary State of the Republic of Indonesia, and its initials
        ("Negara Kesatuan Republik Indonesia", "id"), ("NKRI", "id"),
        ("Исламская Республика Иран", "ir"), ("Сирийская Арабская Республика", "sy"),
    ],
)  # fmt: skip
def test_official_names(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["Republik", "Negara", "Kerajaan Atlantis", "Demokratik Rakyat Korea", "Republik Kirgiz X"],
)
def test_a_state_form_alone_or_before_no_country_names_none(text: str) -> None:
    assert country_code(text) is None


def test_the_country_counts_in_the_score(small_screener: Screener) -> None:
    """PATRUSHEV, listed with nationality ru: 'Federasi Rusia' agrees, with no warning."""
    query, warnings = read_query("Nikolai Patrushev", None, "Federasi Rusia")
    assert warnings == []
    features = {c.feature: c.value for c in small_screener.screen(query)[0].features}
    assert features["country"] == 1.0
