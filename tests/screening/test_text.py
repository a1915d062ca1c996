"""Transliteration and folding keys: the spellings that must meet do meet."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.screening.text import clean, fold, is_abjad, skeleton, to_latin, tokens_of


@pytest.mark.parametrize(
    ("variants"),
    [
        ["Yuri", "Iouri", "Jurij", "Yuriy", "Yurii"],
        ["Patrushev", "Patrusheff", "Патрушев"],
        ["Soekarno", "Sukarno"],
        ["Khalid", "Halid"],
        ["Ba'asyir", "Baasyir", "Bashir"],
    ],
)
def test_romanisation_variants_fold_together(variants: list[str]) -> None:
    keys = {fold(to_latin(tokens_of(v)[0])) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("محمد", "Muhammad"), ("محمد", "Mohamed"), ("حسن", "Hassan"), ("محمود", "Mahmoud"),
     ("أحمد", "Ahmed"), ("مروان", "Marwan")],
)  # fmt: skip
def test_arabic_and_latin_share_a_consonant_skeleton(arabic: str, latin: str) -> None:
    assert is_abjad(arabic) and not is_abjad(latin)
    assert skeleton(to_latin(arabic)) == skeleton(to_latin(latin.lower()))


def test_cyrillic_transliterates_to_latin() -> None:
    assert to_latin("сыромолотов") == "syromolotov"


def test_clean_drops_control_characters_and_joins_apostrophes() -> None:
    assert clean("Ba\u2019a\x00syir\u200b") == "baasyir"


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_keys_never_fail_on_arbitrary_text(text: str) -> None:
    for token in tokens_of(text):
        latin = to_latin(token)
        assert latin.isascii()
        assert fold(latin).isascii() and skeleton(latin).isascii()


def test_dotted_abbreviations_are_one_word() -> None:
    assert tokens_of("Volkswagen Bank G.m.b.H.") == ["volkswagen", "bank", "gmbh"]
    assert tokens_of("A.B.C. Company") == ["abc", "company"]
    assert tokens_of("V. Putin") == ["v", "putin"]  # an initial stays an initial
    assert tokens_of("J.-C. Juncker") == ["j", "c", "juncker"]


@pytest.mark.parametrize(
    ("one", "other"),
    [("أحمد", "حميد"), ("Ahmad", "حمیدی"), ("احسان", "Hasan"), ("Ihsan", "حسن")],
)
def test_a_word_initial_alif_or_vowel_is_part_of_the_skeleton(one: str, other: str) -> None:
    # Ahmad is not Hamid, Ihsan is not Hasan, although their consonants are the same.
    assert skeleton(to_latin(one.lower())) != skeleton(to_latin(other.lower()))


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("عمر", "Omar"), ("علي", "Ali"), ("التكريتي", "Tikriti"), ("أسامة", "Usama")],
)
def test_ain_and_attached_article_as_romanisations_write_them(arabic: str, latin: str) -> None:
    assert skeleton(to_latin(arabic)) == skeleton(to_latin(latin.lower()))


def test_a_name_ending_in_allah_is_one_word_in_arabic_script() -> None:
    # Romanisations write Abdullah, Najibullah as one word; Arabic script either way.
    assert tokens_of("عبد الله احمد عبدالله") == ["عبدالله", "احمد", "عبدالله"]
    assert tokens_of("نجيب الله محمد") == ["نجيبالله", "محمد"]
    assert tokens_of("الله") == ["الله"]
    assert tokens_of("Abd Allah") == ["abd", "allah"]  # Latin script is left as written
