"""UN Security Council consolidated list: real snapshots and a small fixture, field by field."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from jalur.lists import (
    ListLoadError,
    ParseOptions,
    current_versions,
    last_delta,
    load_list,
    source_id_of,
)
from jalur.lists.formats import un
from jalur.lists.parsed import is_subject
from jalur.store import Store

SNAPSHOTS = {
    "consolidated_2020-11-30.xml": (713, 305),
    "consolidated_2025-04-19.xml": (684, 193),
    "consolidated_2026-02-27.xml": (730, 273),
}


@cache
def _parsed(path: Path) -> dict[str, EntityProxy]:
    parsed = un.parse(path, ParseOptions())
    return {str(e.id): e for e in parsed.entities}


def _by_id(fixtures: Path) -> dict[str, EntityProxy]:
    return _parsed(fixtures / "un_sample.xml")


def test_fixture_person_field_by_field(fixtures: Path) -> None:
    rusdan = _by_id(fixtures)["un-sc-113215"]
    assert rusdan.schema.name == "Person"
    assert source_id_of(rusdan) == "113215"
    assert rusdan.get("name") == ["ABU RUSDAN"]
    assert rusdan.get("weakAlias") == ["Abu Thoriq"]
    assert rusdan.get("alias") == ["Rusdjan"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus, Central Java, Indonesia"]
    assert rusdan.get("birthCountry") == ["id"]
    assert rusdan.get("idNumber") == ["1608600001"]
    assert rusdan.get("modifiedAt") == ["2023-02-02"]
    assert sorted(rusdan.get("topics")) == ["crime.terror", "sanction"]


def test_fixture_sanction_carries_regime_basis_and_listing(fixtures: Path) -> None:
    sanction = _by_id(fixtures)[next(k for k in _by_id(fixtures) if "113215-sanction" in k)]
    assert sanction.get("entity") == ["un-sc-113215"]
    assert sanction.get("authority") == ["United Nations Security Council"]
    assert sanction.get("program") == ["ISIL (Da'esh) and Al-Qaida sanctions"]
    assert sanction.get("unscId") == ["QDi.186"]
    assert sanction.get("listingDate") == ["2005-05-16"]
    assert any("1267" in reason for reason in sanction.get("reason"))


def test_fixture_cyrillic_names_ranges_and_documents(fixtures: Path) -> None:
    entities = _by_id(fixtures)
    person = entities["un-sc-6908487"]
    assert person.get("alias") == ["Абдурахманов Магомед Магомедзакирович"]
    assert sorted(person.get("weakAlias")) == ["Abu Banat", "Абу Банат"]
    assert person.get("birthDate") == ["1973", "1974"]
    assert person.get("nationality") == ["ru"]
    passport = next(e for e in entities.values() if e.schema.name == "Passport")
    assert passport.get("holder") == ["un-sc-6908487"]
    assert passport.get("number") == ["515458008"]
    assert passport.get("country") == ["ru"]
    assert passport.get("startDate") == ["2012-05-30"]


def test_fixture_entity_aliases(fixtures: Path) -> None:
    ji = _by_id(fixtures)["un-sc-110404"]
    assert ji.schema.name == "Organization"
    assert ji.get("alias") == ["Jema'ah Islamiyah"]
    assert ji.get("previousName") == ["Islamic Congregation"]
    assert ji.get("country") == ["id"]


def test_not_a_un_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<?xml version='1.0'?><other/>")
    with pytest.raises(ListLoadError, match="not a UN consolidated list"):
        un.parse(path, ParseOptions())


def test_entry_without_dataid_names_the_element(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text(
        "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL>"
        "\n</INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(ListLoadError, match=r"<INDIVIDUAL> at line 3: entry without"):
        un.parse(path, ParseOptions())


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_real_snapshot_counts_equal_the_file(lists_data: Path, name: str) -> None:
    entities = _parsed(lists_data / "un" / name).values()
    counts = Counter(e.schema.name for e in entities if is_subject(e))
    assert (counts["Person"], counts["Organization"]) == SNAPSHOTS[name]
    assert sum(counts.values()) == sum(SNAPSHOTS[name])
    sanctions = [e for e in entities if e.schema.name == "Sanction"]
    assert len(sanctions) == sum(SNAPSHOTS[name])


def test_real_abu_rusdan_2026(lists_data: Path) -> None:
    entities = _parsed(lists_data / "un" / "consolidated_2026-02-27.xml")
    rusdan = entities["un-sc-113215"]
    assert rusdan.get("name") == ["ABU RUSDAN"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus, Central Java, Indonesia"]
    assert sorted(rusdan.get("weakAlias")) == sorted(
        [
            "Abu Thoriq",
            "Rusdjan",
            "Rusjan",
            "Rusydan",
            "Thoriquddin",
            "Thoriquiddin",
            "Thoriquidin",
            "Toriquddin",
        ]
    )
    assert rusdan.get("idNumber") == ["1608600001"]
    assert "crime.terror" in rusdan.get("topics")
    ids = [
        e
        for e in entities.values()
        if e.schema.name == "Identification" and e.get("holder") == ["un-sc-113215"]
    ]
    assert [(i.get("number"), i.get("country")) for i in ids] == [(["1608600001"], ["id"])]


def test_real_arabic_and_cyrillic_scripts(lists_data: Path) -> None:
    latest = _parsed(lists_data / "un" / "consolidated_2026-02-27.xml")
    saddam = next(e for e in latest.values() if "صدام حسين التكريتي" in e.get("alias", quiet=True))
    assert saddam.schema.name == "Person"
    umarov = latest["un-sc-2960872"]
    assert "Умаров Доку Хаматович" in umarov.get("alias")
    # aliases whose Cyrillic original sits inside the alias text ("… (original script: …)")
    aselderov = latest["un-sc-6908574"]
    assert "Абу Мухаммад" in aselderov.get("weakAlias")
    assert "Abu Muhammad" in aselderov.get("weakAlias")
    old = _parsed(lists_data / "un" / "consolidated_2020-11-30.xml")
    assert old["un-sc-6908080"].get("birthPlace") == ["Багдад, Iraq"]
    scripts = sum(
        1
        for e in latest.values()
        for n in e.get("alias", quiet=True)
        if any("\u0600" <= c <= "\u06ff" for c in n)
    )
    assert scripts >= 300  # 378 NAME_ORIGINAL_SCRIPT fields, most of them Arabic


def test_real_25_individuals_linked_to_indonesia(lists_data: Path) -> None:
    """Nationality, birth country, address or identity document in Indonesia (README: 25)."""
    latest = _parsed(lists_data / "un" / "consolidated_2026-02-27.xml")
    countries: dict[str, set[str]] = {}
    for entity in latest.values():
        if entity.schema.name == "Person":
            found = countries.setdefault(str(entity.id), set())
            for prop in ("nationality", "birthCountry", "country"):
                found.update(entity.get(prop))
        elif entity.schema.name in ("Passport", "Identification"):
            holder = entity.get("holder")[0]
            countries.setdefault(holder, set()).update(entity.get("country"))
    linked = sorted(k for k, found in countries.items() if "id" in found)
    assert len(linked) == 25
    names = {latest[k].get("name")[0] for k in linked}
    assert {"ABU RUSDAN", "AGUS DWIKARNA"} <= names


def test_real_topics_by_regime(lists_data: Path) -> None:
    latest = _parsed(lists_data / "un" / "consolidated_2026-02-27.xml").values()
    by_regime: dict[str, set[str]] = {}
    for entity in latest:
        if is_subject(entity):
            for code in entity.get("programId"):
                by_regime.setdefault(code, set()).update(entity.get("topics"))
    assert "crime.terror" in by_regime["Al-Qaida"]
    assert "crime.terror" in by_regime["Taliban"]
    assert by_regime["DPRK"] == {"sanction"}


def test_real_deltas_by_dataid(lists_data: Path, store: Store) -> None:
    folder = lists_data / "un"
    first = load_list(store, folder / "consolidated_2020-11-30.xml")
    assert (first.entities, first.added) == (1018, 1018)
    assert (first.read, first.duplicates) == (1018, 0)  # counts balance: nothing merged away
    second = load_list(store, folder / "consolidated_2025-04-19.xml")
    assert (second.added, second.removed) == (46, 187)
    assert second.entities == 877
    third = load_list(store, folder / "consolidated_2026-02-27.xml")
    assert (third.added, third.removed) == (136, 10)
    delta = last_delta(store, "un-sc")
    assert len(delta["added"]) == 136 and len(delta["removed"]) == 10
    assert all(e.startswith("un-sc-") for e in delta["added"] + delta["removed"])
    assert [v.version_id for v in current_versions(store)] == [third.version]


def test_misencoded_file_fails_clearly_and_leaves_store(lists_data: Path, store: Store) -> None:
    good = load_list(store, lists_data / "un" / "consolidated_2025-04-19.xml")
    before = store.execute("SELECT count(*) FROM list_entities").fetchone()
    broken = lists_data / "broken" / "un_consolidated_2025-08-16_misencoded.xml"
    with pytest.raises(ListLoadError) as raised:
        load_list(store, broken)
    assert raised.value.location == "line 54"
    assert "not valid UTF-8" in raised.value.reason and "--encoding" in raised.value.reason
    assert [v.version_id for v in current_versions(store)] == [good.version]
    assert store.execute("SELECT count(*) FROM list_entities").fetchone() == before


def test_misencoded_file_with_latin1_override_still_fails_clearly(
    lists_data: Path, store: Store
) -> None:
    """Read as Latin-1 the bytes decode, but the re-save destroyed the Arabic names into
    markup characters ('&', "'"), so the XML itself is broken: refused, naming the line."""
    broken = lists_data / "broken" / "un_consolidated_2025-08-16_misencoded.xml"
    with pytest.raises(ListLoadError) as raised:
        load_list(store, broken, options=ParseOptions(encoding="latin-1"))
    assert raised.value.location == "line 5199"
    assert raised.value.reason.startswith("malformed XML")
    assert current_versions(store) == []
