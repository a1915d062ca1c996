"""The superscript (dagger) alif writes a long a, as the alif does.

Classical and Qur'anic spelling writes the long a of some words and names with U+0670 above
the consonant instead of a letter alif: `طٰهر` is `طاهر` Taher, `إسحٰق` is `إسحاق` Ishaq,
`الرحمٰن` is `الرحمن` (al-)Rahman. It was read as nothing, so `طٰهر` came out as "thr",
folded to "tr": Mohammad Taher Anwari so written had no hit at all on his UN entry
(`محمد طاهر أنوري`), nor on its Latin spelling.
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.proxy import EntityProxy

from jalur.screening import Query, Screener, ScreeningConfig, build_index
from jalur.screening.text import to_latin

Listed = Callable[..., EntityProxy]


def test_the_dagger_alif_is_read_as_the_alif() -> None:
    assert to_latin("طٰهر") == to_latin("طاهر") == "tahr"
    assert to_latin("إسحٰق") == to_latin("إسحاق")


def test_a_name_written_with_dagger_alifs_hits_its_entry(make_listed: Listed) -> None:
    entities = [
        make_listed("t1", ["محمد طاهر أنوري", "Mohammad Taher Anwari"]),
        make_listed("t2", ["Abdul Rahman Yasin"]),
    ]
    index = build_index((e, "test-list", e.context["source_id"], e.get("topics")) for e in entities)
    screener = Screener(index, ScreeningConfig.defaults())
    hits = screener.screen(Query("محمد طٰهر أنوري"))
    assert [h.entity.entity_id for h in hits] == ["t1"]
    assert hits[0].score > 0.95
    assert [h.entity.entity_id for h in screener.screen(Query("عبد الرحمٰن ياسين"))] == ["t2"]
