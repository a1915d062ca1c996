"""Small capitals (`ᴀʙᴜ ʙᴀᴋᴀʀ`) are named in the hit, as full-width letters are.

IPA's small capitals look like capitals of the plain letters and are not folded by NFKC;
transliteration already reads each as its letter, so a name written in them hit, but said
nothing of why `ᴀʙᴜ ʙᴀᴋᴀʀ ʙᴀ'ᴀsʏɪʀ` is Abu Bakar Ba'asyir. They are named now; the text and
the score are as before.
"""

from __future__ import annotations

from jalur.screening import Query, Screener


def test_small_capitals_hit_as_the_plain_name_and_say_so(small_screener: Screener) -> None:
    plain = small_screener.screen(Query("Abu Bakar Ba'asyir"))[0]
    disguised = small_screener.screen(Query("ᴀʙᴜ ʙᴀᴋᴀʀ ʙᴀ'ᴀsʏɪʀ"))[0]
    assert disguised.entity.entity_id == plain.entity.entity_id == "p2"
    assert disguised.score >= plain.score - 0.02
    assert list(disguised.normalised) == ["14 small capitals read as letters"]
    assert disguised.explanation().endswith("input normalised: 14 small capitals read as letters")
