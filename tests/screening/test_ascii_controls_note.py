"""ASCII control characters in a name are named in the hit, as other invisible characters are.

A BEL, an ESC or a DEL inside a name (`Umar Pa\\x07tek`) is invisible on screen, and matching
dropped it (`text.clean`), so the name hit as the plain one; but the explanation said nothing
("input normalised" names a zero-width space, not these), and an analyst comparing the two
strings saw no reason they are one name. They are named now; the name's text, and so every
score, are as before. A tab or a line break is a space between words, not a disguise.
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.proxy import EntityProxy

from jalur.screening import Query, Screener, ScreeningConfig, build_index
from jalur.screening.text import unmask

Listed = Callable[..., EntityProxy]


def _umar_patek(make_listed: Listed) -> Screener:
    entities = [make_listed("u1", ["UMAR PATEK"])]
    index = build_index((e, "test-list", e.context["source_id"], e.get("topics")) for e in entities)
    return Screener(index, ScreeningConfig.defaults())


def test_a_name_with_ascii_controls_hits_as_the_plain_one_and_says_so(make_listed: Listed) -> None:
    screener = _umar_patek(make_listed)
    plain = screener.screen(Query("Umar Patek"))[0]
    hidden = screener.screen(Query("Umar Pa\x07te\x01k\x7f"))[0]
    assert hidden.entity.entity_id == "u1" and hidden.score == plain.score
    assert list(hidden.normalised) == ["removed 3 invisible characters"]
    assert hidden.explanation().endswith("input normalised: removed 3 invisible characters")
    assert list(plain.normalised) == []


def test_ascii_controls_are_counted_with_other_invisible_characters() -> None:
    assert unmask("Umar\u200b Pa\x1btek").notes == ("removed 2 invisible characters",)
    assert unmask("Umar\tPatek\n").notes == ()  # spacing, not a disguise
    assert unmask("Umar Pa\x07tek").text == "Umar Patek"


def test_a_terminal_escape_sequence_goes_whole(make_listed: Listed) -> None:
    """`Umar\\x1b[2J Patek` showed as `Umar Patek` on a terminal, but only the ESC was dropped
    and `[2J` stayed in the name, which scored 0.70 against the listed one: the sequence is
    removed whole now, and named."""
    screener = _umar_patek(make_listed)
    plain = screener.screen(Query("Umar Patek"))[0]
    hidden = screener.screen(Query("Umar\x1b[2J Pa\x1b[31;1mtek\x1b[0m"))[0]
    assert hidden.entity.entity_id == "u1" and hidden.score == plain.score
    assert list(hidden.normalised) == ["removed 3 terminal escape sequences"]
    assert unmask("Umar \x1b]0;title\x07Patek").text == "Umar Patek"
    # an operating-system command never ended keeps the name's text after it
    assert unmask("\x1b]Umar Patek").text == "Umar Patek"
