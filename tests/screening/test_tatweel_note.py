"""Tatweel stretching an Arabic-script name is named in the hit, as other disguises are.

The tatweel (kashida, U+0640) only lengthens the joining stroke between two letters: `محـــمد`
reads as `محمد`. Matching already read past it (transliteration and the word's abjad form
drop it), so the stretched name hit, but its explanation said nothing: an analyst comparing
`محـــمد طاهـــر أنوري` with the listed `محمد طاهر أنوري` saw no reason the two strings are
one name. It is named now; the name's text, and so every score, are as before.
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.proxy import EntityProxy

from jalur.screening import Query, Screener, ScreeningConfig, build_index

Listed = Callable[..., EntityProxy]


def test_a_stretched_name_hits_as_the_plain_one_and_says_so(make_listed: Listed) -> None:
    entities = [make_listed("t1", ["محمد طاهر أنوري", "Mohammad Taher Anwari"])]
    index = build_index((e, "test-list", e.context["source_id"], e.get("topics")) for e in entities)
    screener = Screener(index, ScreeningConfig.defaults())
    plain = screener.screen(Query("محمد طاهر أنوري"))[0]
    stretched = screener.screen(Query("محـــمد طاهـــر أنوري"))[0]
    assert stretched.entity.entity_id == "t1"
    assert stretched.score == plain.score
    assert list(stretched.normalised) == ["6 tatweel (kashida) characters read past"]
    assert stretched.explanation().endswith(
        "input normalised: 6 tatweel (kashida) characters read past"
    )
    assert list(plain.normalised) == []
