"""OFAC lists: the sdnList XML and the legacy CSV set, on fixtures and real snapshots."""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from jalur.lists import ListLoadError, ParseOptions, current_versions, load_list
from jalur.lists.formats import ofac_csv, ofac_xml
from jalur.lists.parsed import is_subject
from jalur.store import Store

NAME_PROPS = ("name", "alias", "weakAlias", "previousName")


@cache
def _xml(path: Path) -> dict[str, EntityProxy]:
    return {str(e.id): e for e in ofac_xml.parse(path, ParseOptions()).entities}


@cache
def _csv(path: Path) -> dict[str, EntityProxy]:
    return {str(e.id): e for e in ofac_csv.parse(path, ParseOptions()).entities}


def _names(entity: EntityProxy) -> set[str]:
    return {n for prop in NAME_PROPS for n in entity.get(prop, quiet=True)}


def _children(entities: dict[str, EntityProxy], holder: str, schema: str) -> list[EntityProxy]:
    prop = "entity" if schema == "Sanction" else "holder"
    return [
        e
        for e in entities.values()
        if e.schema.name == schema and e.get(prop, quiet=True) == [holder]
    ]


def test_xml_fixture_terrorist(fixtures: Path) -> None:
    entities = _xml(fixtures / "ofac_sdn_sample.xml")
    rusdan = entities["ofac-8885"]
    assert rusdan.get("name") == ["Abu RUSDAN"]
    assert (rusdan.get("firstName"), rusdan.get("lastName")) == (["Abu"], ["RUSDAN"])
    assert rusdan.get("weakAlias") == ["ABU THORIQ"]
    assert rusdan.get("alias") == ["RUSDJAN"]
    assert rusdan.get("citizenship") == ["id"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("idNumber") == ["1608600001"]
    assert sorted(rusdan.get("topics")) == ["crime.terror", "sanction"]
    (sanction,) = _children(entities, "ofac-8885", "Sanction")
    assert sanction.get("programId") == ["SDGT"]
    assert sanction.get("authorityId") == ["8885"]
    assert any("13224" in r for r in sanction.get("reason"))


def test_xml_fixture_trafficker_vessel_and_publish_date(fixtures: Path) -> None:
    parsed = ofac_xml.parse(fixtures / "ofac_sdn_sample.xml", ParseOptions())
    assert (parsed.name, parsed.published) == ("ofac-sdn", "2026-02-27")
    entities = {str(e.id): e for e in parsed.entities}
    trafficker = entities["ofac-12345"]
    assert sorted(trafficker.get("topics")) == ["crime.traffick.drug", "sanction"]
    assert sorted(trafficker.get("birthDate")) == ["1954", "1957-04-04"]
    assert trafficker.get("passportNumber") == ["X123456"]
    assert trafficker.get("idNumber") == ["EJTJ570404HSLZRQ05"]
    (passport,) = _children(entities, "ofac-12345", "Passport")
    assert (passport.get("startDate"), passport.get("endDate")) == (["2010-01-01"], ["2020-01-01"])
    assert passport.get("country") == ["mx"]
    assert "Linked To: EXAMPLE CARTEL." in trafficker.get("notes")
    assert len(_children(entities, "ofac-12345", "Sanction")) == 2
    vessel = entities["ofac-777"]
    assert vessel.schema.name == "Vessel"
    assert vessel.get("imoNumber") == ["IMO9187629"] or vessel.get("imoNumber") == ["IMO 9187629"]
    assert (vessel.get("callSign"), vessel.get("flag")) == (["9BDM"], ["ir"])


def test_csv_remarks_are_read_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(
        b'16264,"SUNGKAR, Said Ahmad","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 25 Oct 1961; nationality Indonesia; Passport U337061 (Indonesia) issued 17 Dec '
        b"2009 expires 17 Dec 2014; National ID No. 337502.251061.0002 (Indonesia); Tax ID No. "
        b"7744001497 (Russia); a.k.a. 'ABU X'; Something Unknown 42.\"\r\n\x1a"
    )
    entities = _csv(tmp_path)
    person = entities["ofac-16264"]
    assert person.get("name") == ["Said Ahmad SUNGKAR"]
    assert person.get("nationality") == ["id"]
    assert person.get("birthDate") == ["1961-10-25"]
    assert person.get("passportNumber") == ["U337061"]
    assert person.get("innCode") == ["7744001497"]
    assert person.get("weakAlias") == ["ABU X"]
    assert person.get("notes") == ["Something Unknown 42."]
    (passport,) = _children(entities, "ofac-16264", "Passport")
    assert (passport.get("startDate"), passport.get("endDate")) == (["2009-12-17"], ["2014-12-17"])
    documents = {e.get("number")[0]: e for e in _children(entities, "ofac-16264", "Identification")}
    assert documents["337502.251061.0002"].get("type") == ["NIK (Nomor Induk Kependudukan)"]
    assert documents["7744001497"].get("type") == ["INN (taxpayer identification number)"]


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        (b'1,"A","individual","SDGT",-0- \r\n\x1a', "line 1", "expected 12 columns, found 5"),
        (
            b'x,"A",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
            "line 1",
            "not a number",
        ),
        (b'1,"A",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "line 1", "no program"),
        (b'1,"A",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB', "line 1", "incomplete"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, content: bytes, where: str, reason: str) -> None:
    (tmp_path / "sdn.csv").write_bytes(content)
    with pytest.raises(ListLoadError) as raised:
        ofac_csv.parse(tmp_path / "sdn.csv", ParseOptions())
    assert raised.value.location == where
    assert reason in raised.value.reason


def test_csv_orphan_alias_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(
        b'1,"A",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    (tmp_path / "alt.csv").write_bytes(b'1,10,"aka","B",-0- \r\n2,11,"aka","C",-0- \r\n\x1a')
    with pytest.raises(ListLoadError, match=r"alt.csv: line 2: ent_num 2 has no main entry"):
        ofac_csv.parse(tmp_path, ParseOptions())


def _raw(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a")
    return list(csv.reader(io.StringIO(text, newline="")))


def _ofac_name(text: str, person: bool) -> str:
    text = " ".join(html.unescape(text).split())
    if person and ", " in text:
        last, first = text.split(", ", 1)
        text = f"{first} {last}"
    return str(registry.name.clean(text))  # FtM's own name cleaning (strips wrapping quotes)


def _check_csv_set(folder: Path, main: str, alt: str, entries: int, aliases: int) -> None:
    entities = _csv(folder)
    subjects = {k: e for k, e in entities.items() if is_subject(e)}
    assert len(subjects) == entries == len(_raw(folder / main))
    alt_rows = _raw(folder / alt)
    assert len(alt_rows) == aliases
    for row in alt_rows:
        party = subjects[f"ofac-{row[0]}"]
        assert _ofac_name(row[3], party.schema.name == "Person") in _names(party), row


def test_real_sdn_csv_2021(lists_data: Path) -> None:
    folder = lists_data / "ofac" / "sdn_2021"
    _check_csv_set(folder, "sdn.csv", "alt.csv", 8976, 11910)
    subjects = [e for e in _csv(folder).values() if is_subject(e)]
    programs = Counter(p for e in subjects for p in e.get("programId"))
    assert (programs["SDGT"], programs["SDNTK"], programs["SDNT"], programs["FTO"]) == (
        1709,
        1770,
        534,
        74,
    )
    topics = Counter(t for e in subjects for t in e.get("topics"))
    assert topics["sanction"] == 8976
    assert topics["crime.traffick.drug"] >= 1770
    assert topics["crime.terror"] >= 1709
    schemata = Counter(e.schema.name for e in subjects)
    assert schemata == {"Person": 4620, "Organization": 3673, "Vessel": 406, "Airplane": 277}


def test_real_sdn_csv_named_entries(lists_data: Path) -> None:
    entities = _csv(lists_data / "ofac" / "sdn_2021")
    rusdan = entities["ofac-8885"]
    assert rusdan.get("name") == ["Abu RUSDAN"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus, Central Java, Indonesia"]
    assert rusdan.get("citizenship") == ["id"]
    assert rusdan.get("idNumber") == ["1608600001"]
    assert {"ABU THORIQ", "RUSDJAN", "RUSJAN"} <= set(rusdan.get("weakAlias"))
    ji = entities["ofac-7280"]
    assert ji.get("name") == ["JEMAA ISLAMIYAH"]
    assert {"JEMAAH ISLAMIYAH", "JEMA'AH ISLAMIYAH"} <= set(ji.get("alias"))
    assert sorted(ji.get("programId")) == ["FTO", "SDGT"]
    # the 2021 set's one entry whose remarks continue in sdn_comments.csv
    continued = entities["ofac-12300"]
    assert any("PROMO RAIZ S.A.S." in note for note in continued.get("notes"))


def test_real_cons_csv_2025(lists_data: Path) -> None:
    folder = lists_data / "ofac" / "cons_2025"
    _check_csv_set(folder, "cons_prim.csv", "cons_alt.csv", 442, 1073)
    bank = _csv(folder)["ofac-17014"]
    assert bank.get("ogrnCode") == ["1027700342890"]
    assert bank.get("okpoCode") == ["52750822"]
    assert bank.get("swiftBic") == ["RUAGRUMM"]


def test_real_cons_xml_2025(lists_data: Path) -> None:
    path = lists_data / "ofac" / "cons_2025-03-28.xml"
    entities = _xml(path)
    subjects = {k: e for k, e in entities.items() if is_subject(e)}
    assert len(subjects) == 443
    raw = path.read_text(encoding="utf-8")
    entries = re.findall(r"<sdnEntry>.*?</sdnEntry>", raw, re.S)
    akas = 0
    for entry in entries:
        uid = re.search(r"<uid>(\d+)</uid>", entry).group(1)  # type: ignore[union-attr]
        for aka in re.findall(r"<aka>.*?</aka>", entry, re.S):
            akas += 1
            first = re.search(r"<firstName>([^<]*)", aka)
            last = re.search(r"<lastName>([^<]*)", aka)
            name = " ".join(html.unescape(m.group(1)) for m in (first, last) if m)
            name = " ".join(name.split())
            assert name in _names(subjects[f"ofac-{uid}"]), (uid, name)
    assert akas == 1136
    haniya = subjects["ofac-9639"]
    assert haniya.get("name") == ["Ismail Abdul Salah HANIYA"]
    assert haniya.get("birthDate") == ["1962"]
    assert "crime.terror" in haniya.get("topics")


def test_csv_and_xml_of_one_list_share_ids(lists_data: Path, store: Store) -> None:
    """Loading the XML after the CSV is a delta of one list, not a second list."""
    load_list(store, lists_data / "ofac" / "cons_2025")
    report = load_list(store, lists_data / "ofac" / "cons_2025-03-28.xml")
    assert report.list == "ofac-cons"
    assert report.added + report.removed < 10
    assert [v.list_name for v in current_versions(store)] == ["ofac-cons"]


def test_csv_ent_num_given_twice_is_refused_not_one_party_dropped(tmp_path: Path) -> None:
    """Two main rows with one ent_num used to keep only the second party: the first
    (its name, program and remarks) vanished from the version without a word."""
    (tmp_path / "sdn.csv").write_bytes(
        b'7,"ABRIL CORTEZ, Oliverio",individual,"SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'7,"OTHER, Person",individual,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    with pytest.raises(ListLoadError) as raised:
        ofac_csv.parse(tmp_path / "sdn.csv", ParseOptions())
    assert (raised.value.location, raised.value.reason) == (
        "line 2",
        "ent_num 7 appears twice (first at line 1)",
    )


def test_a_companion_file_that_is_no_regular_file_is_refused_not_skipped(tmp_path: Path) -> None:
    """alt.csv as a FIFO (or a link to a device) was passed over as if absent: the version
    loaded without any of its aliases and said nothing."""
    (tmp_path / "sdn.csv").write_bytes(
        b'1,"A",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    os.mkfifo(tmp_path / "alt.csv")
    with pytest.raises(ListLoadError, match=r"alt.csv: path: a FIFO \(named pipe\), not a regul"):
        ofac_csv.parse(tmp_path, ParseOptions())
