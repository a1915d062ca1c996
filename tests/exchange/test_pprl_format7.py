"""Format /7: Arabic per word and two typos, the misses the benchmark (`bench_exchange.py`,
tuning half) left under /6. A part's skeleton is marked when the word opens with a vowel, as
Arabic script writes it too (عمر `amr` ~ Omar, not Mire); a listed person whose name agrees
part for part is not hidden by one that only looks alike as a whole (ملا طه ~ Mullah Taha, not
Umm Layth); titles opening a name are left out on both sides (دكتور ~ `Dr`); the skeleton
blocking route has 50 bands. Names are UN-list persons and aliases the benchmark planted.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools

import numpy as np
import pytest
from pprl_subjects import KEY, pair_features, subject

from jalur.exchange.pprl import Encoder, compare
from jalur.exchange.pprl.compare import MARGIN, SKELETON_BLOCKING, SKELETON_FLOOR, candidates
from jalur.exchange.pprl.encode import part_skeleton, untitled


def test_a_part_opening_with_a_vowel_keeps_its_mark_in_either_script() -> None:
    assert part_skeleton("amr", abjad=True) == part_skeleton("omar") == ".mr"  # عمر
    assert part_skeleton("mire") == "mr"
    assert part_skeleton("alzhrh", abjad=True) == part_skeleton("zahra") == "sr"  # الزهرة
    assert part_skeleton("asir") == ".sr"
    # a Latin word opening with the article assimilated and joined is not marked: Arabic
    # script writes its article (الدين), whose word opens with a consonant
    assert part_skeleton("uddin") == part_skeleton("aldyn", abjad=True) == "dn"
    assert part_skeleton("urrahman") == part_skeleton("alrhmn", abjad=True)
    # Cyrillic я read `ia` opens with a consonant (`j`), as `ya` does
    assert not part_skeleton("iakov").startswith(".")


def _aligned(latin: str, arabic: str) -> bool:
    """Whether some pair of the two names' encodings aligns every part of both names."""
    features = pair_features(latin, arabic)
    return bool(((features["short_left"] + features["long_left"]) == 0).any())


@pytest.mark.parametrize(
    ("arabic", "listed", "look_alike"),
    [
        # /6 aligned عمر with Mire as well as with Omar (skeleton `mr`); among 100,000 names
        # the rarer Mire won, and Mohamed Omar Mohamed was hidden behind Mohamed Mohamud Mire
        ("محمد عمر محمد", "Mohamed Omar Mohamed", "Mohamed Mohamud Mire"),
        # ... and الزهرة with Asir (`sr`): Abu Zahra hidden behind Abu al-Asir
        ("ابو الزهرة", "Abu Zahra", "Abu Asir"),
    ],
)
def test_a_vowelless_part_meets_only_the_spellings_of_its_opening_vowel(
    arabic: str, listed: str, look_alike: str
) -> None:
    assert _aligned(listed, arabic)
    assert not _aligned(look_alike, arabic)


def test_a_name_agreeing_part_for_part_is_not_hidden_by_a_whole_name_look_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ملا طه and `Umm Layth` share their consonants as one word (`mlt`), no part. Where Mullah
    # and Taha are common parts (here 200 listed names each, among 100,000 as many), Mullah
    # Taha's evidence is lower than the look-alike's by more than the margin: /6 hid him.
    # (Since `as_close_as_the_best` he also gets the look-alike's evidence, being as close;
    # here the part-for-part margin alone is tested, for pairs that rule does not lift.)
    module = importlib.import_module("jalur.exchange.pprl.compare")
    monkeypatch.setattr(module, "as_close_as_the_best", lambda found, evidence, local: evidence)
    syllables = ("ba", "ko", "ri", "sa", "ne", "di", "gu", "pe")  # no m, l, t, h
    others = ["".join(s).title() for s in itertools.product(syllables, repeat=3)][:400]
    listed = [subject(0, "Taha al-Khuwayt", "Mullah Taha"), subject(1, "Aqsa Mahmood", "Umm Layth")]
    listed += [subject(2 + i, ("Mullah ", "Taha ")[i % 2] + o) for i, o in enumerate(others)]
    encoder = Encoder(KEY)
    pairs = compare(encoder.encode(listed), encoder.encode([subject(0, "ملا طه")]))
    evidence = dict(zip(pairs.offer.tolist(), pairs.evidence.tolist(), strict=True))
    assert 0 in evidence and evidence[0] < evidence[1] - MARGIN, evidence


def test_titles_opening_a_name_are_left_out_on_both_sides() -> None:
    assert untitled(("dr", "ibrahim")) == ("ibrahim",)
    assert untitled(("dktwr", "abrahym", "awad")) == ("abrahym", "awad")  # دكتور
    assert untitled(("his", "excellency", "sir", "john", "smith")) == ("john", "smith")
    assert untitled(("doctor",)) == ("doctor",)  # a title alone stays a name
    # /6 left `dr` and `dktwr` over, one on each side: the two names never agreed part for part
    features = pair_features("Dr Ibrahim Awwad al-Badri", "دكتور إبراهيم عواد البدري")
    aligned = (features["short_left"] + features["long_left"]) == 0
    assert aligned.any(), features


def test_the_skeleton_route_finds_a_two_typo_variant_that_moved_a_word_break() -> None:
    # `jui onhate` / `Julio Nhate`: no part and too few bigrams in common for the name filters
    # (0.29); the skeletons agree at 0.52, which 40 bands missed under the benchmark's key and
    # 50 find (blocking is chance: this pins the benchmark's case, not a guarantee)
    encoder = Encoder(hashlib.sha256(b"bench agreed key").digest())
    offer = encoder.encode([subject(0, "Julio Nhate")])
    local = encoder.encode([subject(0, "jui onhate")])
    found = candidates(offer.skeletons, local.skeletons, SKELETON_BLOCKING, SKELETON_FLOOR)
    assert np.array_equal(found, [0])
