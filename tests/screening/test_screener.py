"""Screening against a small inline list: hits, explanations, evidence, index updates."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jalur.model import make_entity
from jalur.screening import Hit, Query, Screener, ScreeningConfig, build_index

Listed = Callable[..., EntityProxy]


def best(screener: Screener, query: Query) -> tuple[str, float] | None:
    hits = screener.screen(query)
    return (hits[0].entity.entity_id, hits[0].score) if hits else None


def test_cyrillic_query_hits_latin_entry_and_back(small_screener: Screener) -> None:
    assert best(small_screener, Query("Патрушев Николай"))[0] == "p1"  # type: ignore[index]
    assert best(small_screener, Query("Nikolay Patrusheff"))[0] == "p1"  # type: ignore[index]


def test_arabic_script_entry_hit_by_latin_query(small_screener: Screener) -> None:
    hits = small_screener.screen(Query("Saddam Husain Tikriti"))
    assert hits and hits[0].entity.entity_id == "p4"


def test_single_name_with_honorific(small_screener: Screener) -> None:
    assert best(small_screener, Query("H. Wiranto"))[0] == "p3"  # type: ignore[index]


def test_unrelated_names_do_not_hit(small_screener: Screener) -> None:
    assert small_screener.screen(Query("Budi Santoso")) == []
    assert small_screener.screen(Query("")) == []


def test_hit_carries_its_explanation(small_screener: Screener) -> None:
    hit = small_screener.screen(Query("Abu Bakar Baasyir", birth_date="1938", country="id"))[0]
    features = {c.feature: c for c in hit.features}
    assert features["birth_date"].value == 0.5 and features["birth_date"].contribution > 0
    assert features["country"].value == 1.0
    assert hit.matched_alias in ("Abu Bakar Ba'asyir", "Abu Bakar Bashir")
    assert "birth_date=0.50" in hit.explanation()
    assert hit.as_dict()["risk_class"] == "terror"
    assert hit.entity.entity_id == "p2" and hit.score > 0.99


def test_secondary_evidence_moves_the_score(small_screener: Screener) -> None:
    name = "Abu Bakar Baasyir"
    plain = small_screener.screen(Query(name), threshold=0.0)[0].score
    agree = small_screener.screen(Query(name, identifier="a123456"), threshold=0.0)[0].score
    conflict = small_screener.screen(Query(name, birth_date="1990-01-01"), threshold=0.0)[0].score
    wrong_type = small_screener.screen(Query(name, schema="Organization"), threshold=0.0)[0].score
    assert agree > plain > conflict
    assert wrong_type < plain


def test_index_updates_from_a_delta_without_rebuild(
    small_screener: Screener, make_listed: Callable[..., EntityProxy]
) -> None:
    index = small_screener.index
    aliases_before = len(index.aliases)
    assert small_screener.screen(Query("Umar Patek")) == []
    index.add_entity(make_listed("p9", ["UMAR PATEK", "Omar Patek"]), "test-list", "P9")
    assert best(small_screener, Query("Omar Patek"))[0] == "p9"  # type: ignore[index]
    index.add_entity(make_listed("p9", ["UMAR PATEK ALTERED"]), "test-list", "P9")  # changed
    assert len(index.aliases) == aliases_before + 3  # appended, nothing rebuilt
    assert index.remove_entity("test-list", "p9")
    assert small_screener.screen(Query("Umar Patek")) == []
    assert small_screener.screen(Query("Wiranto"))  # the rest still there


# screening only fills caches, so one screener may serve every generated input
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=12)))
def test_matcher_accepts_any_unicode(small_screener: Screener, name: str, dob: str | None) -> None:
    hits = small_screener.screen(Query(name, birth_date=dob, country=dob), threshold=0.0)
    for hit in hits:
        assert 0.0 <= hit.score <= 1.0
        assert math.isclose(hit.score, 1.0 / (1.0 + math.exp(-hit.logit)), abs_tol=1e-12)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)  # best first
    ids = [h.entity.entity_id for h in hits]
    assert len(ids) == len(set(ids))  # one hit per listed entity
    kept = small_screener.screen(Query(name, birth_date=dob, country=dob))
    cut = small_screener.config.threshold
    assert [(h.entity.entity_id, h.score) for h in kept] == [
        (h.entity.entity_id, h.score) for h in hits if h.score >= cut
    ]


@pytest.mark.parametrize(
    ("name", "schema", "entity_id"),
    [
        ("PATRUSHEV, Nikolai Platonovich", "Person", "p1"),
        ("Патрушев Николай Платонович", "Person", "p1"),
        ("Abu Bakar Ba'asyir", "Person", "p2"),
        ("Abu Bakar Bashir", None, "p2"),
        ("WIRANTO", "Person", "p3"),
        ("صدام حسين التكريتي", "Person", "p4"),
        ("Saddam Hussein al-Tikriti", None, "p4"),
        ("PT Sinar Harapan Abadi", "Organization", "o1"),
    ],
)
def test_every_listed_name_exactly_is_its_entity_first_above_0_9(
    small_screener: Screener, name: str, schema: str | None, entity_id: str
) -> None:
    hits = small_screener.screen(Query(name, schema=schema), threshold=0.0)
    assert hits[0].entity.entity_id == entity_id and hits[0].score > 0.9
    assert all(h.score < small_screener.config.threshold for h in hits[1:])


def test_aliases_recorded_as_one_value_are_screened_each(make_listed: Listed) -> None:
    entity = make_listed("p9", ["QASEM SOLEIMANI", "Qasim Sulaimani; Kasim Sulaymani"])
    screener = Screener(build_index([(entity, "l", "P9", [])]), ScreeningConfig.defaults())
    assert [a.name.text for a in screener.index.aliases] == [
        "QASEM SOLEIMANI", "Qasim Sulaimani", "Kasim Sulaymani"
    ]  # fmt: skip
    hit = screener.screen(Query("Kasim Sulaymani"))[0]
    assert hit.matched_alias != "Qasim Sulaimani; Kasim Sulaymani" and hit.score > 0.9


def test_a_different_middle_word_on_both_sides_is_a_conflict(make_listed: Listed) -> None:
    entities = [
        make_listed("a", ["Murad Iraklievich Margoshvili"]),
        make_listed("b", ["Hafiz Muhammad Saeed"]),
    ]
    screener = Screener(
        build_index([(e, "l", str(e.id), []) for e in entities]),
        replace(ScreeningConfig.defaults(), threshold=1e-6),
    )

    def conflict(name: str) -> float:
        features = {c.feature: c for c in screener.screen(Query(name))[0].features}
        return features["name_conflict"].value

    assert conflict("Murad Khasanovich Margoshvili") > 0.0
    assert conflict("Hafiz Muhammad") == 0.0  # a dropped word is no conflict
    assert conflict("Murad Margoshvili") == 0.0


def test_a_legal_form_written_out_meets_its_short_form(make_listed: Listed) -> None:
    entities = [
        make_listed("o1", ["Siemens AG"], schema="Company"),
        make_listed("o2", ["LIMITED LIABILITY COMPANY 'RIELTSITI'"], schema="Company"),
    ]
    screener = Screener(
        build_index([(e, "l", str(e.id), []) for e in entities]), ScreeningConfig.defaults()
    )
    assert best(screener, Query("Siemens Aktiengesellschaft"))[0] == "o1"  # type: ignore[index]
    assert best(screener, Query("Rieltsiti LLC"))[0] == "o2"  # type: ignore[index]
    # a misspelt legal form still matches its listed spelling
    assert best(screener, Query("LIMITED LIABLITY COMPANY RIELTSITI"))[0] == "o2"  # type: ignore[index]


def test_pruning_never_drops_a_hit_a_joined_name_finds(make_listed: Listed) -> None:
    # A name run together ("Abubakarbasyir") is one query word against four listed words:
    # found through the joined form, it covers the whole alias, and the bound must say so.
    entities = [make_listed("j1", ["Abu Bakar Ba Syir"]), make_listed("j2", ["Umar Patek"])]
    screener = Screener(
        build_index([(e, "l", str(e.id), []) for e in entities]), ScreeningConfig.defaults()
    )
    query = Query("Abubakarbasyir")
    everything = {h.entity.entity_id: h.score for h in screener.screen(query, threshold=0.0)}
    kept = {h.entity.entity_id: h.score for h in screener.screen(query)}
    cut = screener.config.threshold
    assert kept == {k: s for k, s in everything.items() if s >= cut}
    assert "j1" in kept


def test_one_common_given_name_needs_more_than_the_name(make_listed: Listed) -> None:
    """ "Rahmat" is rare on the lists but common among customers: alone it is not a hit."""
    entities = [
        make_listed("r", ["Qari RAHMAT"], birthDate="1970-05-01", nationality="af"),
        make_listed("n", ["NOOR"]),
        make_listed("w", ["WIRANTO"]),
        make_listed("h", ["HAMBALI"]),
    ]
    screener = Screener(
        build_index([(e, "l", str(e.id), []) for e in entities]), ScreeningConfig.defaults()
    )
    assert best(screener, Query("Rahmat")) is None
    assert best(screener, Query("Nur")) is None
    assert best(screener, Query("Rahmat", birth_date="1970-05-01"))[0] == "r"  # type: ignore[index]
    # single names that are not common given names still match their entries fully
    for name, entity in (("Wiranto", "w"), ("Hambali", "h")):
        found = best(screener, Query(name))
        assert found is not None and found[0] == entity and found[1] > 0.95
    features = {c.feature: c for c in screener.screen(Query("Rahmat"), threshold=0.0)[0].features}
    assert features["name_common"].value == 1.0 and features["name_common"].contribution < 0


def test_hits_do_not_depend_on_the_queries_before(make_listed: Listed) -> None:
    """`إياد` (Iyad) and `عايد` (Ayed) share a consonant key but not their listed variants:
    UN 6908576 must be found from its Arabic name whatever was screened first."""
    entities = [
        make_listed("un-6908576", ["IYAD NAZMI SALIH KHALIL", "Eyad Nazmi Saleh Khalil"]),
        make_listed("p-ayed", ["MUHSIN FADHIL AYED ASHOUR"]),
    ]
    query = Query("إياد نظمي صالح خليل", schema="Person")

    def fresh() -> Screener:
        rows = ((e, "test-list", str(e.id), []) for e in entities)
        return Screener(build_index(rows), ScreeningConfig.defaults())

    alone = [(h.entity.entity_id, h.score) for h in fresh().screen(query)]
    warmed = fresh()
    warmed.screen(Query("عايد", schema="Person"), threshold=0.0)
    after = [(h.entity.entity_id, h.score) for h in warmed.screen(query)]
    assert alone and alone[0][0] == "un-6908576"
    assert after == alone


def test_a_person_is_not_a_vessel(make_listed: Listed) -> None:
    """The vessel BELLA (OFAC) must not hit a customer named Bella as strongly as with no type."""
    vessel = make_listed("v1", ["BELLA"], schema="Vessel")
    screener = Screener(build_index([(vessel, "test-list", "V1", [])]), ScreeningConfig.defaults())
    untyped = screener.screen(Query("BELLA"), threshold=0.0)[0]
    person = screener.screen(Query("BELLA", schema="Person"), threshold=0.0)[0]
    company = screener.screen(Query("BELLA", schema="Company"), threshold=0.0)[0]
    assert person.score < untyped.score and company.score < untyped.score
    assert any(c.feature == "entity_type" and c.value == -1.0 for c in person.features)


class _Unpruned(Screener):
    """The same screener without its upper-bound pruning: every candidate is aligned."""

    def _floor(self, query: Query, cut: float) -> float:
        return -math.inf


_LISTED = [
    "KIM SOK CHOL", "TARIQ AZIZ", "RI WON HO", "ABDUL RAHMAN YASIN", "KIM CHOL",
    "ABDULRAHMAN SALIM", "NURHIDAYAT AZIZ",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_LISTED),
    extra=st.lists(
        st.sampled_from(["kim", "aziz", "ho", "salim", "abdul rahman", "nur hidayat"]), max_size=2
    ),
    at=st.integers(min_value=0, max_value=30),
    cut=st.sampled_from([0.3, 0.5, 0.7, 0.9, 0.97]),
)
@example(name="KIM SOK CHOL", extra=[], at=1, cut=0.3)  # "KMI SOK CHOL"
@example(name="RI WON HO", extra=[], at=7, cut=0.3)  # "RI WON OH"
def test_pruning_never_drops_a_hit(name: str, extra: list[str], at: int, cut: float) -> None:
    """Pruning is an upper bound: with it and without it, the same hits (typos included, and
    the rivals just below the cut that weaken a hit just above it)."""
    rows = [(_plain(f"p{i}", n), "test-list", f"P{i}", []) for i, n in enumerate(_LISTED)]
    text = " ".join([name, *extra])
    at = at % max(1, len(text) - 1)
    query = Query(text[:at] + text[at + 1 : at + 2] + text[at : at + 1] + text[at + 2 :])
    config = ScreeningConfig.defaults()
    pruned = Screener(build_index(rows), config).screen(query, threshold=cut)
    full = _Unpruned(build_index(rows), config).screen(query, threshold=cut)
    assert [(h.entity.entity_id, round(h.score, 9)) for h in pruned] == [
        (h.entity.entity_id, round(h.score, 9)) for h in full
    ]


def _plain(entity_id: str, name: str) -> EntityProxy:
    entity = make_entity("Person", entity_id)
    entity.add("name", name)
    return entity


def _rival(hit: Hit) -> float:
    return next(c.value for c in hit.features if c.feature == "name_rival")


def test_entries_that_fit_a_name_equally_are_weaker_hits(make_listed: Listed) -> None:
    """A query for Abdul Rahman fits ABDUL RAHMAN AGHA and ABDUL RAHMAN YASIN alike: neither
    is as strong a hit as it would be as the only such entry of the list."""
    config = ScreeningConfig.defaults()
    both = [make_listed("a1", ["ABDUL RAHMAN AGHA"]), make_listed("a2", ["ABDUL RAHMAN YASIN"])]
    alone = Screener(build_index([(both[0], "un", "A1", [])]), config)
    pair = Screener(build_index([(e, "un", e.id, []) for e in both]), config)
    query = Query("Abdul Rahman", schema="Person")
    single = alone.screen(query, threshold=0.0)[0]
    hits = {h.entity.entity_id: h for h in pair.screen(query, threshold=0.0)}
    assert _rival(single) == 0.0
    assert _rival(hits["a1"]) == _rival(hits["a2"]) == 1.0
    assert hits["a1"].score < single.score
    assert "also fits: 'ABDUL RAHMAN YASIN'" in hits["a1"].explanation()


def test_the_entry_that_fits_best_is_not_weakened_by_its_neighbours(
    make_listed: Listed,
) -> None:
    """A query for Kim Chol is KIM CHOL, not KIM SONG CHOL: the exact entry keeps its
    score, the neighbour is explained by it."""
    entries = [make_listed("k1", ["KIM CHOL"]), make_listed("k2", ["KIM SONG CHOL"])]
    screener = Screener(
        build_index([(e, "un", e.id, []) for e in entries]), ScreeningConfig.defaults()
    )
    hits = {h.entity.entity_id: h for h in screener.screen(Query("Kim Chol"), threshold=0.0)}
    assert _rival(hits["k1"]) == 0.0 and hits["k1"].score > 0.99
    assert _rival(hits["k2"]) == 1.0 and hits["k2"].rival == "KIM CHOL"
    assert hits["k2"].score < 0.7


def test_one_person_on_several_lists_is_no_rival_to_itself(make_listed: Listed) -> None:
    """The same person listed by the UN and by OFAC: two true hits, neither weakened."""
    rows = [
        (make_listed("un-1", ["ABU BAKAR BA'ASYIR"]), "un-sc", "UN1", []),
        (make_listed("ofac-1", ["BA'ASYIR, Abu Bakar"]), "ofac-sdn", "OF1", []),
    ]
    screener = Screener(build_index(rows), ScreeningConfig.defaults())
    hits = screener.screen(Query("Abu Bakar Baasyir", schema="Person"))
    assert {h.entity.list_name for h in hits} == {"un-sc", "ofac-sdn"}
    assert all(_rival(h) == 0.0 for h in hits), [h.explanation() for h in hits]


def test_a_chinese_character_query_still_finds_its_pinyin_entry(make_listed: Listed) -> None:
    """张勇 read in pinyin is Zhang Yong: a hit, each word at most `HAN_READING`."""
    entry = make_listed("c1", ["ZHANG Yong"], birthDate="1970")
    screener = Screener(build_index([(entry, "l", "C1", [])]), ScreeningConfig.defaults())
    hits = screener.screen(Query("张勇", schema="Person"))
    assert hits and hits[0].score > 0.9, [h.explanation() for h in hits]
    assert all(similarity <= 0.9 for _, _, similarity in hits[0].words)


def test_a_two_word_name_without_its_first_name_is_no_lineage(make_listed: Listed) -> None:
    """UN aliases held out of their entries: "Ozia Mazio" is DIEUDONNÉ OZIA MAZIO without
    his first name (not his father: a patronymic chain needs three name words on both sides,
    `scoring.CHAIN`), and "Abdul Jalil Akhund" is Abdul Jalil Haqqani with a title."""
    entries = [
        make_listed("d1", ["DIEUDONNÉ OZIA MAZIO"]),
        make_listed("a1", ["ABDUL JALIL HAQQANI WALI MOHAMMAD", "Abdul Jalil Haqqani"]),
    ]
    screener = Screener(
        build_index([(e, "un", e.id, []) for e in entries]), ScreeningConfig.defaults()
    )
    for query, entity_id in [("Ozia Mazio", "d1"), ("Abdul Jalil Akhund", "a1")]:
        hits = screener.screen(Query(query, schema="Person"))
        assert [h.entity.entity_id for h in hits] == [entity_id], query
        assert all(c.value == 0 for c in hits[0].features if c.feature == "name_lineage")


def test_a_name_of_titles_alone_is_the_name(make_listed: Listed) -> None:
    """ "Haji Sahib" (an alias on the UN Taliban list) is made of forms of address only:
    those are then the name, and an exact query hits it."""
    entry = make_listed("q1", ["QUDRATULLAH JAMAL", "Haji Sahib"])
    screener = Screener(build_index([(entry, "un", "Q1", [])]), ScreeningConfig.defaults())
    hits = screener.screen(Query("Haji Sahib", schema="Person"))
    assert hits and hits[0].score > 0.99


def test_two_words_a_list_writes_as_one(make_listed: Listed) -> None:
    """Indonesian and Arabic names are written with and without the space: "Abdul Rahman
    Yasin" is ABDULRAHMAN YASIN AL ANI, "Nur Hidayat" NURHIDAYAT SANTOSO, "Abu Bakar Ahmad"
    ABUBAKAR AHMAD SHARIFF (a whole name run together was matched before; a joined word in
    a longer name scored 0)."""
    entries = [
        make_listed("a1", ["ABDULRAHMAN YASIN AL ANI"]),
        make_listed("n1", ["NURHIDAYAT SANTOSO"]),
        make_listed("b1", ["ABUBAKAR AHMAD SHARIFF"]),
    ]
    screener = Screener(
        build_index([(e, "un", e.id, []) for e in entries]), ScreeningConfig.defaults()
    )
    for query, entity_id, pair in [
        ("Abdul Rahman Yasin", "a1", ("abdul rahman", "abdulrahman", 1.0)),
        ("Nur Hidayat Santoso", "n1", ("nur hidayat", "nurhidayat", 1.0)),
        ("Abu Bakar Ahmad", "b1", ("abu bakar", "abubakar", 1.0)),
    ]:
        hits = screener.screen(Query(query, schema="Person"))
        assert [h.entity.entity_id for h in hits] == [entity_id], query
        assert pair in hits[0].words and hits[0].score > 0.9, hits[0].explanation()
