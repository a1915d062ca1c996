"""EU FSF XML and UK OFSI CSV/XML, on fixtures written from the official layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from jalur.lists import ListLoadError, ParseOptions
from jalur.lists.formats import eu, uk


def _parse(parser: object, path: Path) -> dict[str, EntityProxy]:
    parsed = parser.parse(path, ParseOptions())  # type: ignore[attr-defined]
    return {str(e.id): e for e in parsed.entities}


def test_eu_person_with_arabic_alias_and_nik(fixtures: Path) -> None:
    entities = _parse(eu, fixtures / "eu_fsf_sample.xml")
    rusdan = entities["eu-13371"]
    assert rusdan.get("name") == ["Abu Rusdan"]
    assert rusdan.get("alias") == ["أبو رسدان"]
    assert rusdan.get("weakAlias") == ["Thoriquddin"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus, Central Java, INDONESIA"]
    assert rusdan.get("nationality") == ["id"]
    assert rusdan.get("gender") == ["male"]
    assert sorted(rusdan.get("topics")) == ["crime.terror", "sanction"]
    (nik,) = [e for e in entities.values() if e.get("holder", quiet=True) == ["eu-13371"]]
    assert nik.get("number") == ["3319011608600001"]
    assert nik.get("country") == ["id"]
    (sanction,) = [e for e in entities.values() if e.get("entity", quiet=True) == ["eu-13371"]]
    assert sanction.get("programId") == ["TAQA"]
    assert sanction.get("unscId") == ["QDi.186"]
    assert sanction.get("authorityId") == ["EU.2154.47"]
    assert sanction.get("listingDate") == ["2005-05-20"]
    assert sanction.get("startDate") == ["2005-05-21"]
    assert "Regulation 2005/764 (OJ L126)" in sanction.get("reason")


def test_eu_cyrillic_inn_circa_year_and_flags(fixtures: Path) -> None:
    entities = _parse(eu, fixtures / "eu_fsf_sample.xml")
    person = entities["eu-155001"]
    assert person.get("alias") == ["Иван Петрович СИДОРОВ"]
    assert person.get("innCode") == ["772345678901"]
    assert person.get("birthDate") == ["1971"]
    assert person.get("topics") == ["sanction"]
    passport = next(e for e in entities.values() if e.schema.name == "Passport")
    assert passport.get("authority") == ["Ministry of Internal Affairs"]
    assert "knownExpired" in passport.get("summary")[0]
    ji = entities["eu-6873"]
    assert ji.schema.name == "Organization"
    assert ji.get("weakAlias") == ["JI"]


def test_eu_unknown_subject_type(tmp_path: Path) -> None:
    path = tmp_path / "eu.xml"
    path.write_text(
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export">\n<sanctionEntity logicalId="1">'
        '<subjectType code="alien"/></sanctionEntity></export>'
    )
    with pytest.raises(
        ListLoadError, match=r"<sanctionEntity> at line 2, logicalId 1: unknown subjectType"
    ):
        eu.parse(path, ParseOptions())


@pytest.mark.parametrize("name", ["uk_conlist_sample.csv", "uk_conlist_sample.xml"])
def test_uk_groups_rows_into_one_party(fixtures: Path, name: str) -> None:
    entities = _parse(uk, fixtures / name)
    rusdan = entities["uk-8591"]
    assert rusdan.get("name") == ["ABU RUSDAN"]
    assert rusdan.get("alias") == ["أبو رسدان"]
    assert rusdan.get("weakAlias") == ["THORIQUDDIN"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus"]
    assert rusdan.get("nationality") == ["id"]
    assert rusdan.get("idNumber") == ["1608600001"]
    assert sorted(rusdan.get("topics")) == ["crime.terror", "sanction"]
    (sanction,) = [e for e in entities.values() if e.get("entity", quiet=True) == ["uk-8591"]]
    assert sanction.get("listingDate") == ["2005-05-20"]
    assert sanction.get("program") == ["ISIL (Da'esh) and Al-Qaida"]


def test_uk_csv_partial_dob_cyrillic_and_entity(fixtures: Path) -> None:
    parsed = uk.parse(fixtures / "uk_conlist_sample.csv", ParseOptions())
    assert parsed.published == "2026-02-20"
    entities = {str(e.id): e for e in parsed.entities}
    person = entities["uk-14200"]
    assert person.get("birthDate") == ["1971"]
    assert person.get("alias") == ["Иван Петрович СИДОРОВ"]
    assert person.get("passportNumber") == ["4509123456"]
    assert entities["uk-7280"].schema.name == "Organization"
    assert entities["uk-7280"].get("alias") == ["JEMA'AH ISLAMIYAH"]


def test_uk_xml_ship(fixtures: Path) -> None:
    entities = _parse(uk, fixtures / "uk_conlist_sample.xml")
    ship = entities["uk-16501"]
    assert ship.schema.name == "Vessel"
    assert ship.get("name") == ["MV EXAMPLE STAR"]
    assert ship.get("imoNumber") == ["IMO9187629"] or ship.get("imoNumber") == ["9187629"]
    assert sorted(ship.get("flag")) == ["ir", "pa"]
    assert ship.get("buildDate") == ["1999"]
    assert ship.get("notes") == ["somenewfield: kept, not dropped"]
    (sanction,) = [e for e in entities.values() if e.get("entity", quiet=True) == ["uk-16501"]]
    assert "Fictional ship for jalur's tests." in sanction.get("reason")


def test_uk_row_without_group_id(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    path.write_text("Last Updated,01/01/2026\nName 6,Group Type,Group ID\nX,Individual,\n")
    with pytest.raises(ListLoadError, match="line 3: row without a Group ID"):
        uk.parse(path, ParseOptions())


def test_uk_rows_of_one_group_that_disagree_on_its_type_are_refused(tmp_path: Path) -> None:
    """A Group ID mistyped on one row made an Entity's names and addresses aliases of an
    Individual (the first row's type won) without a word; one target cannot be both."""
    path = tmp_path / "ConList.csv"
    path.write_text(
        "Last Updated,01/01/2026\nName 6,Group Type,Alias Type,Group ID\n"
        "RUSDAN,Individual,Primary name,8591\nTHORIQUDDIN,Individual,AKA,8591\n"
        "SOME BANK,Entity,Primary name,8591\n"
    )
    with pytest.raises(ListLoadError) as refused:
        uk.parse(path, ParseOptions())
    assert refused.value.problems == [
        (
            "line 3, Group ID 8591",
            "rows disagree on the Group Type: 'Individual' (line 3), 'Entity' (line 5)",
        )
    ]


@pytest.mark.parametrize("logical_id", ["../../etc", "13371\u202e", "1" * 50 + "x"])
def test_eu_logical_id_that_is_not_a_number_is_refused(tmp_path: Path, logical_id: str) -> None:
    """The FSF schema's logicalId is a number, and the entity id is made of it: `../../etc`
    loaded as `eu-../../etc` (an id no `/v1/entities/{id}` route can name), as the UN's DATAID
    and OFAC's ent_num are refused."""
    path = tmp_path / "eu.xml"
    path.write_text(
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export">\n'
        f'<sanctionEntity logicalId="{logical_id}"><subjectType code="person"/>'
        '<nameAlias wholeName="Abu Rusdan"/></sanctionEntity></export>'
    )
    with pytest.raises(ListLoadError) as refused:
        eu.parse(path, ParseOptions())
    assert refused.value.problems == [
        ("<sanctionEntity> at line 2", f"logicalId {logical_id[:40]!r} is not a number")
    ]


def test_uk_group_id_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    path.write_text(
        "Last Updated,01/01/2026\nName 6,Group Type,Alias Type,Group ID\n"
        "RUSDAN,Individual,Primary name,85\u202e91\nPATEK,Individual,Primary name,7280\n"
    )
    with pytest.raises(ListLoadError) as refused:
        uk.parse(path, ParseOptions())
    assert refused.value.problems == [("line 3", "Group ID '85\\u202e91' is not a number")]
