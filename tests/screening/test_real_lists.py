"""The hard cases of issue 3, against the real UN (2026-02-27) and OFAC SDN (2021) entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from jalur.lists import PARSERS, ParseOptions, source_id_of
from jalur.model import make_entity
from jalur.screening import Query, Screener, ScreeningConfig, build_index

SUBJECTS = ("Person", "Organization", "Company", "LegalEntity")


@pytest.fixture(scope="module")
def subjects(shared_data: Path) -> dict[str, list[EntityProxy]]:
    """The listed subjects of each list (the UN and OFAC parsers are part of the product)."""
    sources = {
        "un-sc": PARSERS["un"](
            shared_data / "lists/un/consolidated_2026-02-27.xml", ParseOptions()
        ),
        "ofac-sdn": PARSERS["ofac-csv"](shared_data / "lists/ofac/sdn_2021", ParseOptions()),
    }
    return {
        name: [e for e in parsed.entities if e.schema.name in SUBJECTS]
        for name, parsed in sources.items()
    }


@pytest.fixture(scope="module")
def screener(subjects: dict[str, list[EntityProxy]]) -> Screener:
    rows = [
        (e, name, source_id_of(e), e.get("topics", quiet=True))
        for name, entities in subjects.items()
        for e in entities
    ]
    return Screener(build_index(rows), ScreeningConfig.defaults())


def hit_ids(screener: Screener, query: Query) -> list[tuple[str, str | None]]:
    return [(h.entity.list_name, h.entity.source_id) for h in screener.screen(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # single names, honorifics and particles (Indonesian names on the UN list)
        (Query("Hambali"), ("un-sc", "112001")),
        (Query("H. Abu Bakar Ba'asyir"), ("un-sc", "111792")),
        (Query("Haji Abu Bakar Baasyir"), ("un-sc", "111792")),
        (Query("Ustadz Oman Rochman"), ("un-sc", "6908603")),
        (Query("Mohamad Rafi Udin"), ("un-sc", "6908720")),  # "bin" left out
        (Query("Hambali bin Ending"), ("un-sc", "112001")),
        # a title in front of a listed one-word name is no way round screening: a name of one
        # name word and a title must not read the title as a second name word (measured: that
        # rule took these to 0.13-0.48)
        (Query("Mr Hambali"), ("un-sc", "112001")),
        (Query("Dr. Hambali"), ("un-sc", "112001")),
        (Query("Haji Hambali"), ("un-sc", "112001")),
        (Query("Kyai Hambali"), ("un-sc", "112001")),
        (Query("Datuk Hambali"), ("un-sc", "112001")),
        # a title both names carry counts: HAFIZ MUHAMMAD SAEED is known as Hafiz Saeed (on the
        # query's side alone, "Saeed" is one common given name and hit no one)
        (Query("Hafiz Saeed"), ("un-sc", "2833107")),
        (Query("Abu Rusdan"), ("un-sc", "113215")),
        (Query("Umar Patek"), ("un-sc", "2971762")),
        (Query("Omar Patek"), ("un-sc", "2971762")),
        # Russian names: Cyrillic and several transliterations (OFAC SDN 24309)
        (Query("Патрушев Николай Платонович"), ("ofac-sdn", "24309")),
        (Query("Nikolay Patrushev"), ("ofac-sdn", "24309")),
        (Query("Nikolai Patrusheff"), ("ofac-sdn", "24309")),
        # Arabic script and romanisations
        (Query("Saddam Hussein al-Tikriti"), ("un-sc", "6908048")),
        (Query("أسامة بن لادن"), ("ofac-sdn", "6365")),
        (Query("Usama bin Ladin"), ("ofac-sdn", "6365")),
        (Query("Aiman al-Zawahiri"), ("ofac-sdn", "2676")),
        # order swapped, parts missing, typos
        (Query("Patek Umar"), ("un-sc", "2971762")),
        (Query("Muhammad Jibril Rahman"), ("un-sc", "2972739")),
        (Query("Abu Bakar Baasyr"), ("un-sc", "111792")),
        (Query("Nurjaman Riduan Isamudin"), ("un-sc", "112001")),
    ],
)
def test_hard_cases_hit_the_listed_entry(
    screener: Screener, query: Query, expected: tuple[str, str]
) -> None:
    found = hit_ids(screener, query)
    assert expected in found, found


def test_arabic_script_alias_reached_from_latin(
    subjects: dict[str, list[EntityProxy]],
) -> None:
    """UN 6908048 with its Latin names taken away: only `صدام حسين التكريتي` is left, and a
    Latin query must reach it through the transliteration."""
    (saddam,) = [e for e in subjects["un-sc"] if source_id_of(e) == "6908048"]
    arabic = make_entity("Person", "un-6908048-arabic")
    arabic.add("name", [n for n in saddam.get("alias") if "صدام" in n])
    screener = Screener(build_index([(arabic, "un-sc", "6908048", [])]), ScreeningConfig.defaults())
    (hit,) = screener.screen(Query("Saddam Hussein al-Tikriti"))
    assert hit.matched_alias == "صدام حسين التكريتي"
    assert hit.score >= screener.config.threshold


def test_birth_date_conflict_lowers_a_namesake(screener: Screener) -> None:
    same = screener.screen(Query("Umar Patek", birth_date="1966-07-20"), threshold=0.0)[0]
    other = next(
        h
        for h in screener.screen(Query("Umar Patek", birth_date="1995"), threshold=0.0)
        if h.entity.source_id == same.entity.source_id
    )
    assert same.score > other.score


@pytest.mark.parametrize("common", ["Muhammad", "Ali", "Budi Santoso", "Siti Aminah", "John Smith"])
def test_common_names_do_not_drown_analysts(screener: Screener, common: str) -> None:
    assert len(screener.screen(Query(common))) <= 3


def test_same_surname_different_person_scores_below_the_real_one(screener: Screener) -> None:
    hits = screener.screen(Query("Abdul Rahim Ba'asyir"))
    # UN 2971675 and OFAC 12597 are the same man (Abu Bakar Ba'asyir's son) on two lists;
    # his father (UN 111792, OFAC 9614) shares the surname and is no hit
    assert {hits[0].entity.source_id, hits[1].entity.source_id} == {"2971675", "12597"}
    assert not {"111792", "9614"} & {h.entity.source_id for h in hits}


@pytest.mark.parametrize(
    ("query", "source_id"),
    [
        ("KMI SOK CHOL", "6908568"),  # a transposition in a three-letter word
        ("ISAM ALu MOHAMED ALOUCHE", "113223"),
        ("TAHA YtSSIN RAMADAN AL-JIZRAWI", "6908067"),
        ("Yevgeny KHOOTOV", "29870"),  # OFAC; the typo word alone retrieves the entry
    ],
)
def test_a_typo_in_a_short_word_still_hits(screener: Screener, query: str, source_id: str) -> None:
    hits = [
        h for h in screener.screen(Query(query, schema="Person")) if h.entity.source_id == source_id
    ]
    assert hits, f"UN {source_id} not hit"
    assert any(c.feature == "name_typo" and c.value > 0 for c in hits[0].features)


def test_the_father_is_not_his_children(screener: Screener) -> None:
    """UN lists Saddam Hussein (6908048) and his children, whose names continue his."""
    hits = screener.screen(Query("SADDAM HUSSEIN AL-TIKRITI", schema="Person"), threshold=0.0)
    children = {"6908049", "6908050", "6908104", "6908105", "6908106", "6908108"}
    # the father on both lists first (UN 6908048, OFAC 7843), then his children
    assert {(h.entity.list_name, h.entity.source_id) for h in hits[:2]} == {
        ("un-sc", "6908048"),
        ("ofac-sdn", "7843"),
    }
    father = min(h.score for h in hits[:2])
    found = [h for h in hits if h.entity.source_id in children]
    assert found  # the ten best hits hold UN and OFAC entries of the family
    for hit in found:
        assert hit.score < father, hit.explanation()
        assert any(c.feature == "name_lineage" and c.value == 1.0 for c in hit.features)
    # only Ali, whose own given name is a common word (it weighs little), still passes 0.7
    above = {h.entity.source_id for h in found if h.score >= screener.config.threshold}
    assert above <= {"6908108"}, above


@pytest.mark.parametrize(
    ("query", "source_id"),
    [
        ("TARIQAZIZ", "6908072"),  # the space lost
        ("DJAMELeLOUNICI", "112494"),  # the space typed as a letter
        ("ABDUL RAHMANiYASIN", "113328"),
        ("RI WON OH", "6908555"),  # two letters swapped in a two-letter word
    ],
)
def test_a_lost_space_or_swapped_syllable_still_hits(
    screener: Screener, query: str, source_id: str
) -> None:
    hits = screener.screen(Query(query, schema="Person"))
    assert source_id in {h.entity.source_id for h in hits}, [h.explanation() for h in hits]


@pytest.mark.parametrize(
    ("query", "source_id"),
    [
        ("'Al' KHANFURAH", "31951"),  # "al" is a particle: retrieval does not key on it
        ("LIBRE ABORDO, S.A. D C.V.", "28931"),  # "D" an initial of "DE"
    ],
)
def test_a_particle_or_an_initial_counts_in_the_pruning_bound(
    screener: Screener, query: str, source_id: str
) -> None:
    """Alaa KHANFURAH and LIBRE ABORDO, S.A. DE C.V. (OFAC) score above 0.99 for these
    queries; the pruning bound once left out the particle and the initial, and cut them."""
    hits = {(h.entity.list_name, h.entity.source_id): h for h in screener.screen(Query(query))}
    assert ("ofac-sdn", source_id) in hits, [h.explanation() for h in hits.values()]
    assert hits["ofac-sdn", source_id].score > 0.99


@pytest.mark.parametrize(
    ("query", "dob", "country", "korean"),
    [
        ("瑜 韩", "1955-02-22", "cn", "690741"),  # HAN YU-RO
        ("承翰 蘇", "1955-01-17", "sg", "6908614"),  # HAN JANG SU
    ],
)
def test_chinese_characters_read_in_pinyin_are_not_korean_names(
    screener: Screener, query: str, dob: str, country: str, korean: str
) -> None:
    """Two people on no list (yente's negatives) whose Chinese-character names, read in
    Mandarin (yu, han; cheng-han, su), share syllables with DPRK entries romanised from
    Korean. A pinyin reading is one reading among several and shared by many characters, and
    承翰 is one given name without a space to lose: below the threshold."""
    hits = screener.screen(Query(query, dob, country, schema="Person"))
    assert korean not in {h.entity.source_id for h in hits}, [h.explanation() for h in hits]


def test_a_title_both_carry_finds_the_recorded_title_and_name(screener: Screener) -> None:
    """Both names a title and one name word, the titles alike: the recorded alias is found
    (HAJJI IMAN is an alias of AL-QADULI on both lists). A title both carry does not lift a
    name that is only part of the listed one: "Maulana Hakim", an ordinary customer's name
    in the screening benchmark, reached 0.76 against MAULANA HAKIM MOHAMMAD MAZHAR when the
    title counted as a second word there too."""
    assert ("un-sc", "6908419") in hit_ids(screener, Query("Haji Iman"))
    assert ("ofac-sdn", "11969") not in hit_ids(screener, Query("Maulana Hakim"))


def test_a_title_on_one_side_only_weighs_nothing(screener: Screener) -> None:
    """The agreed form of address adds to both names only when both carry it: a bare common
    given name, or one under another title, is not lifted by it."""
    assert ("un-sc", "2833107") not in hit_ids(screener, Query("Saeed"))
    assert ("un-sc", "2833107") not in hit_ids(screener, Query("Mr Saeed"))
    assert ("un-sc", "2833107") not in hit_ids(screener, Query("Haji Saeed"))
