"""Arabic letters that Latin spellings write two ways are met in either: ث as `th` or `s`
(`Othman` / `Osman`), ذ and ض as `d`/`dh` or `z` (`Fadl` / `Fazl`), a final ة as `a` or `t`
(`Hayat`). Arabic-language spellings follow one reading, Persian, Pashto, Urdu and Turkish ones
the other; the encoder sends both (format /5), and an `abd` compound both as Arabic script
writes it (`bd allh`) and as one word (`Abdullah`). Names are UN-list persons whose Arabic-script
forms the benchmark (`bench_exchange.py`, tuning half) planted and format /4 missed.
"""

from __future__ import annotations

import pytest
from pprl_subjects import KEY, pair_features, subject

from jalur.exchange.pprl import Encoder, compare
from jalur.exchange.pprl.encode import readings, spellings
from jalur.exchange.subjects import name_tokens

LISTED = [
    subject(0, "Fazl Rabi", "Fazal Rabi", dob="1972"),
    subject(1, "Mohamed Osman", dob="1969"),
    subject(2, "Fazal Hayat", dob="1974"),
    subject(3, "Mohammad Wali Mohammad Ewaz", dob="1965"),
    # namesakes sharing a part or a consonant with the listed persons
    subject(4, "Fazal Rahman"),
    subject(5, "Mohamed Othman Tahir"),
    subject(6, "Rabih Hassan"),
    subject(7, "Fadel Hayati"),
]


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("فضل ربي", 0),  # ض read `z` (Fazl), not `d` (Fadl)
        ("محمد عثمان", 1),  # ث read `s` (Osman), not `th` (Othman)
        ("فضل الحياة", 2),  # ض as `z` and a final ة as `t` (Hayat)
    ],
)
def test_an_arabic_script_name_meets_its_persian_reading(name: str, listed: int) -> None:
    encoder = Encoder(KEY)
    pairs = compare(encoder.encode(LISTED), encoder.encode([subject(0, name)]))
    assert {int(o) for o in pairs.offer} == {listed}


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Fazl Rabi", "فضل ربي"),
        ("Mohamed Osman", "محمد عثمان"),
        ("Fazal Hayat", "فضل الحياة"),
        ("Zakir Hussain", "ذاكر حسين"),
        # Arabic script writes `abd` compounds as two words, Latin mostly as one
        ("Amir Abdullah", "امير عبد الله"),
        ("Abdulrahman Yasin", "عبد الرحمن ياسين"),
    ],
)
def test_every_part_and_the_whole_skeleton_agree_under_the_other_reading(
    latin: str, arabic: str
) -> None:
    # among 100,000 names (the benchmark) `fazl` and `rabi` are not rare enough to carry a
    # pair on half the evidence: /4 left one part of each of these names without a partner
    # and its whole-name skeletons about half apart (0.44), or never compared them at all
    features = pair_features(latin, arabic)
    agree = (features["skeletons"] == 1.0) & (features["short_left"] == 0)
    assert agree.any(), {k: v.tolist() for k, v in features.items()}


def test_the_usual_reading_still_meets_its_own_spelling() -> None:
    encoder = Encoder(KEY)
    listed = [subject(0, "Fadl Rabi"), subject(1, "Othman Kasim"), subject(2, "Fadel Rahman")]
    local = [subject(0, "فضل ربي"), subject(1, "عثمان قاسم")]
    pairs = compare(encoder.encode(listed), encoder.encode(local))
    found = {(int(o), int(lo)) for o, lo in zip(pairs.offer, pairs.local, strict=True)}
    assert found == {(0, 0), (1, 1)}


def test_readings_are_bounded_and_latin_names_have_one() -> None:
    assert name_tokens("فضل") == ("fdhl",)  # ض written as ذ is, so it can be read both ways
    assert spellings("thman") == ("thman", "sman")
    assert spellings("allh") == ("allh",)  # Allah's ه is no ة
    many = readings(("dhthdhth", "thth", "alhyah"), True)
    assert len(many) == 4
    assert many[0] == ("dhthdhth", "thth", "alhyah")
    assert readings(("othman", "fazl"), False) == [("othman", "fazl")]
    assert readings(("amyr", "bd", "allh"), True) == [("amyr", "bd", "allh"), ("amyr", "bdallh")]
