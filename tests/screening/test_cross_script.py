"""Latin spellings against Arabic-script words: long vowels must line up, not only consonants.

Arabic writes long vowels (ا و ي ى) and leaves short ones out, so `محمود` is Mahmoud and not
Muhammad, `حامد` is Hamid and not Ahmed, although each pair shares its consonants.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from followthemoney.proxy import EntityProxy

from jalur.screening import Query, Screener, ScreeningConfig, build_index
from jalur.screening.names import normalise_name
from jalur.screening.text import FIT, NEAR_FIT, NO_FIT, script_fit
from jalur.screening.vocab import CROSS_FIT, Vocabulary


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("محمود", "mahmoud"), ("محمود", "mahmood"), ("محمد", "muhammad"), ("محمد", "mohamed"),
     ("حامد", "hamid"), ("حامد", "hamed"), ("أحمد", "ahmed"), ("قصي", "qusay"),
     ("حسين", "hussein"), ("حسن", "hassan"), ("عبدالرحمن", "abdurrahman"),
     ("عبدالرحمن", "abdelrahman"), ("يحيى", "yahya"), ("أسامة", "usama"), ("سعيد", "saeed"),
     ("وليد", "oualid"), ("رحیمی", "rahimi"), ("حمزه", "hamza"), ("التكريتي", "tikriti"),
     ("سعد", "saad"), ("نايف", "nayef"), ("جعفر", "jaafar"), ("إسماعيل", "ismail"),
     ("ميدفيديفا", "medvedeva"), ("ميتشيكو", "michiko"), ("ساكسون", "saxon"),
     ("عبدالله", "abdullah"), ("نجيبالله", "najibullah"), ("أوتو", "otto"), ("أيمن", "ayman")],
)  # fmt: skip
def test_romanisations_fit_the_arabic_word(arabic: str, latin: str) -> None:
    assert script_fit(arabic, latin) == FIT


@pytest.mark.parametrize(
    ("arabic", "latin", "fit"),
    [("محمد", "mahmoud", NEAR_FIT),  # the long u is not written: Muhammad, not Mahmud
     ("محمود", "muhammad", NEAR_FIT),  # و has no u/o to stand for
     ("حسين", "hassan", NEAR_FIT), ("حسن", "hussein", NEAR_FIT),
     ("حامد", "ahmed", NO_FIT),  # a word-initial vowel needs an alif; the alif needs a vowel
     ("سيد", "saeed", NEAR_FIT),  # Sayyid: ee after a short vowel is not a diphthong
     ("سعد", "saeed", NEAR_FIT),  # Sa'd: no short vowel after the ain
     ("الل", "ali", NO_FIT)],
)  # fmt: skip
def test_other_names_with_the_same_consonants_do_not_fit(arabic: str, latin: str, fit: int) -> None:
    assert script_fit(arabic, latin) == fit


def test_a_word_in_an_unknown_abjad_does_not_fit() -> None:
    assert script_fit("דוד", "david") == NO_FIT  # Hebrew: left to the consonant skeleton


def _vocabulary(words: list[str]) -> tuple[Vocabulary, dict[str, int]]:
    vocab = Vocabulary()
    ids = {}
    for word in words:
        (part,) = normalise_name(word, "Person").parts
        ids[word] = vocab.add(part)
    return vocab, ids


def _expand(vocab: Vocabulary, word: str) -> dict[int, float]:
    (part,) = normalise_name(word, "Person").parts
    return vocab.expand(part)


ARABIC = ["محمد", "محمود", "حامد", "قصي", "حسين", "حسن", "أحمد"]


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Mahmoud", "محمود"), ("Muhammad", "محمد"), ("Hamid", "حامد"), ("Qusay", "قصي"),
     ("Hussein", "حسين"), ("Ahmed", "أحمد")],
)  # fmt: skip
def test_a_latin_word_finds_the_arabic_word_it_spells(latin: str, arabic: str) -> None:
    vocab, ids = _vocabulary(ARABIC)
    assert _expand(vocab, latin).get(ids[arabic], 0.0) >= CROSS_FIT


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Mahmoud", "محمد"), ("Muhammad", "محمود"), ("Ahmed", "حامد"), ("Hassan", "حسين")],
)
def test_a_latin_word_is_at_most_weak_for_arabic_words_it_does_not_spell(
    latin: str, arabic: str
) -> None:
    vocab, ids = _vocabulary(ARABIC)
    assert _expand(vocab, latin).get(ids[arabic], 0.0) <= 0.6


def test_arabic_words_with_one_skeleton_stay_apart() -> None:
    vocab, ids = _vocabulary(ARABIC)
    assert ids["محمد"] != ids["محمود"]
    assert _expand(vocab, "محمد")[ids["محمد"]] == 1.0
    assert _expand(vocab, "إحمد")[ids["أحمد"]] == 1.0  # hamza seats are one spelling
    assert _expand(vocab, "حسن").get(ids["حسين"], 0.0) <= 0.7  # Hasan is not Husayn


def test_letters_one_script_writes_for_the_other_meet() -> None:
    # ف for v, ب for p, تش for ch: the consonant skeletons differ, the spellings fit
    vocab, ids = _vocabulary(["Medvedeva", "Pagnol", "Michiko", "Gauci"])
    assert _expand(vocab, "ميدفيديفا").get(ids["Medvedeva"], 0.0) >= CROSS_FIT
    assert _expand(vocab, "ميتشيكو").get(ids["Michiko"], 0.0) >= CROSS_FIT
    assert _expand(vocab, "غاوسي").get(ids["Gauci"], 0.0) >= CROSS_FIT  # soft c: س
    vocab, ids = _vocabulary(["ميدفيديفا", "بانيول"])
    assert _expand(vocab, "Medvedeva").get(ids["ميدفيديفا"], 0.0) >= CROSS_FIT


@pytest.mark.parametrize(
    ("arabic", "latin", "strong"),
    [("قصي", "Qusay", True), ("محمود", "Mahmoud", True), ("محمود", "Muhammad", False),
     ("حامد", "Hamid", True), ("حامد", "Ahmed", False)],
)  # fmt: skip
def test_an_arabic_word_finds_the_latin_words_that_spell_it(
    arabic: str, latin: str, strong: bool
) -> None:
    vocab, ids = _vocabulary(["Qusay", "Mahmoud", "Muhammad", "Hamid", "Ahmed"])
    sim = _expand(vocab, arabic).get(ids[latin], 0.0)
    assert sim >= CROSS_FIT if strong else sim <= 0.6


def test_other_names_with_the_same_consonants_do_not_hit(
    make_listed: Callable[..., EntityProxy],
) -> None:
    entities = [
        make_listed("p1", ["MOHAMMAD TAHIR HAMMID HUSSEIN", "محمد طاهر حامد حسين"]),
        make_listed("p2", ["QUSAY SADDAM HUSSEIN AL-TIKRITI"]),
    ]
    index = build_index((e, "test", e.id, ["sanction"]) for e in entities)
    screener = Screener(index, ScreeningConfig.defaults())
    assert not [h for h in screener.screen(Query("AHMAD MAHMOUD HASSAN")) if h.score >= 0.7]
    found = {h.entity.source_id: h.score for h in screener.screen(Query("قصي صدام حسين"))}
    assert found.get("p2", 0.0) >= 0.7


def test_a_server_compiles_the_listed_arabic_words_patterns_before_any_query() -> None:
    """A long-lived screener compiles every listed Arabic-script word's spelling patterns once,
    up front (`Screener.precompile`), not when a query word first meets the word."""
    from jalur.screening.text import abjad_form, form_patterns

    vocab, _ = _vocabulary(["محمود", "حامد", "hamid", "أسامة"])
    form_patterns.cache_clear()
    assert vocab.compile_forms() == 3
    cached = form_patterns.cache_info()
    assert cached.currsize == 3 and cached.misses == 3
    for word in ("محمود", "حامد", "أسامة"):
        form_patterns(abjad_form(word))
    assert form_patterns.cache_info().hits == 3  # the queries found them compiled
