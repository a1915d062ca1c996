"""A country by its official Russian name, as Russian passports, registers and 1C customer
files write it ("Французская Республика", "Кыргызская Республика"): most were warnings,
screened without the country. They are read from ISO 3166's translations (the iso-codes
data, as pycountry or the system ships it), whole, so that a form telling two states apart
(Республика Корея, Корейская Народно-Демократическая Республика) still tells them apart."""

from __future__ import annotations

import pytest

from jalur.countries import country_code, official_names_source
from jalur.screening import Screener
from jalur.screening.fields import read_query

needs_iso_codes = pytest.mark.skipif(
    official_names_source() is None, reason="neither pycountry nor the iso-codes data is here"
)


@needs_iso_codes
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Российская Федерация", "ru"), ("Французская Республика", "fr"),
        ("Федеративная Республика Германия", "de"), ("Арабская Республика Египет", "eg"),
        ("Социалистическая Республика Вьетнам", "vn"), ("Королевство Саудовская Аравия", "sa"),
        ("Исламская Республика Афганистан", "af"), ("Государство Катар", "qa"),
        ("Султанат Оман", "om"), ("Соединённые Штаты Америки", "us"),
        ("Соединенные Штаты Америки", "us"),  # ё written as е, as most keyboards do
        ("Соединённое Королевство Великобритании и Северной Ирландии", "gb"),
        ("Соединенное Королевство Великобритании и Северной Ирландии", "gb"),
        ("Исламская Республика Иран", "ir"), ("Исламская Респу́блика Иран", "ir"),  # a stress mark
        ("Республика Корея", "kr"), ("Корейская Народно-Демократическая Республика", "kp"),
        ("Демократическая Республика Конго", "cd"), ("Республика Конго", "cg"),
        ("Китайская Народная Республика", "cn"), ("РЕСПУБЛИКА  ТАДЖИКИСТАН", "tj"),
    ],
)  # fmt: skip
def test_official_russian_names(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the constitutions' own names, which ISO's catalogue words otherwise
        ("Кыргызская Республика", "kg"), ("Азербайджанская Республика", "az"),
        ("Республика Ирак", "iq"), ("Республика Турция", "tr"), ("Государство Ливия", "ly"),
        ("КНР", "cn"),
    ],
)  # fmt: skip
def test_official_russian_names_iso_words_otherwise(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["Республика", "Корейская Республика Атлантида", "Народная"])
def test_a_state_form_alone_names_none(text: str) -> None:
    assert country_code(text) is None


@needs_iso_codes
def test_the_russian_name_counts_in_the_score(small_screener: Screener) -> None:
    """PATRUSHEV, listed with nationality ru: 'Российская Федерация' agrees, with no warning;
    'Французская Республика' is a country, which does not."""
    for country, value in (("Российская Федерация", 1.0), ("Французская Республика", -1.0)):
        query, warnings = read_query("Nikolai Patrushev", None, country)
        assert warnings == []
        features = {c.feature: c.value for c in small_screener.screen(query)[0].features}
        assert features["country"] == value
