"""Name-part tagging: honorifics, particles, patronymics and legal forms are recognised."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.screening.names import MAX_PARTS, PartTag, normalise_name


def tags(text: str, schema: str | None = None) -> dict[str, PartTag]:
    return {p.latin: p.tag for p in normalise_name(text, schema).parts}


def test_indonesian_honorifics_and_particles() -> None:
    found = tags("H. Abu Bakar Ba'asyir bin Abud", "Person")
    assert found["h"] is PartTag.HONORIFIC
    assert found["abu"] is PartTag.KUNYA
    assert found["bin"] is PartTag.PARTICLE
    assert found["bakar"] is PartTag.NAME
    assert tags("Haji Siti binti Ahmad", "Person")["haji"] is PartTag.HONORIFIC
    assert tags("Haji Siti binti Ahmad", "Person")["binti"] is PartTag.PARTICLE


def test_a_single_name_is_never_dropped_as_a_particle() -> None:
    assert tags("Wiranto") == {"wiranto": PartTag.NAME}
    assert tags("Abu") == {"abu": PartTag.NAME}


def test_russian_patronymic() -> None:
    assert tags("Patrushev Nikolai Platonovich", "Person")["platonovich"] is PartTag.PATRONYMIC


def test_organisation_legal_forms_in_latin_and_cyrillic() -> None:
    for name in ("PT Sinar Harapan", "CV Maju Jaya", "Yayasan Amal", "OOO Romashka",
                 "ООО Ромашка", "Acme LLC", "Acme Trading Ltd"):  # fmt: skip
        found = normalise_name(name, "Organization").parts
        assert any(p.tag is PartTag.LEGAL_FORM for p in found), name


def test_honorific_rules_do_not_apply_to_organisations() -> None:
    assert tags("H Holdings Sinar", "Organization")["h"] is not PartTag.HONORIFIC


def test_known_given_and_family_names_are_tagged() -> None:
    name = normalise_name("Patek Umar", "Person", given=("Umar",), family=("Patek",))
    assert [p.tag for p in name.parts] == [PartTag.FAMILY, PartTag.GIVEN]


def test_huge_names_are_bounded() -> None:
    assert len(normalise_name("x " * 100_000).parts) == MAX_PARTS


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from([None, "Person", "Organization", "Company"]))
def test_normaliser_accepts_any_unicode(text: str, schema: str | None) -> None:
    name = normalise_name(text, schema)
    assert len(name.parts) <= MAX_PARTS
    for part in name.parts:
        assert part.latin or part.symbols


#: Words of several scripts and their Latin keys; control, zero-width and punctuation-only
#: words have none and must leave no part behind.
MIXED = {"محمد": "mhmd", "Сергей": "sergei", "王": "wang", "Ali": "ali", "H.": "h"}
NOTHING = ["\x00", "\u200b", " ", "-"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*MIXED, *NOTHING]), max_size=30))
def test_normaliser_accepts_mixed_scripts(words: list[str]) -> None:
    name = normalise_name(" ".join(words))
    expected = [MIXED[w] for w in words if w in MIXED][:MAX_PARTS]
    assert [p.latin for p in name.parts] == expected


@pytest.mark.parametrize(
    ("name", "legal"),
    [
        ("Siemens Aktiengesellschaft", ["aktiengesellschaft"]),
        ("Stripe Limited Liability Company", ["limited", "liability", "company"]),
        ("Общество с ограниченной ответственностью Байкал", ["obshchestvo", "s", "ogranichennoi",
                                                            "otvetstvennostyu"]),
        ("Comercializadora Troppo Sociedad Anonima", ["sociedad", "anonima"]),
        ("Volkswagen Bank G.m.b.H.", ["gmbh"]),
    ],
)  # fmt: skip
def test_legal_forms_written_out_are_tagged(name: str, legal: list[str]) -> None:
    parts = normalise_name(name, "Company").parts
    assert [p.latin for p in parts if p.tag is PartTag.LEGAL_FORM] == legal


def test_legal_form_words_in_a_persons_name_stay_words() -> None:
    parts = normalise_name("Limited Liability Company", "Person").parts
    assert {p.tag for p in parts} == {PartTag.NAME}
