"""The XML list readers name every bad entry of a file in one run, as the CSV readers do.

A list version is loaded whole or not at all, but reading goes on past a bad entry (no id, no
name, an id that is not a number, no programme), so one run names them all with the entry
and the reason; an unusable secondary field (a date no reading understands) is a warning
naming the entry, the field and the value, and the entry still loads (fail safe). Input: the
real UN and OFAC snapshots with entries damaged, and the EU and UK fixtures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from jalur.lists import ListLoadError, ParseOptions, current_versions, load_list
from jalur.lists.formats import eu, ofac_xml, uk, un
from jalur.lists.parsed import is_subject
from jalur.store import Store

UN_LATEST = "un/consolidated_2026-02-27.xml"
OFAC_XML = "ofac/cons_2025-03-28.xml"


def _damaged(source: Path, tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """A copy of `source` with each (old, new) replaced once (the first occurrence)."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_un_entry_is_named_in_one_run(
    lists_data: Path, tmp_path: Path, store: Store
) -> None:
    path = _damaged(
        lists_data / UN_LATEST,
        tmp_path,
        ("<DATAID>6907993</DATAID>", "<DATAID>69O7993</DATAID>"),  # letter O: not numeric
        ("<FIRST_NAME>FRANK KAKOLELE</FIRST_NAME>\n      <SECOND_NAME>BWAMBALE</SECOND_NAME>",
         "<FIRST_NAME/>\n      <SECOND_NAME/>"),
    )  # fmt: skip
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, format="un")
    problems = refused.value.problems
    assert len(problems) == 2
    assert problems[0][0] == "<INDIVIDUAL> at line 4"
    assert "DATAID '69O7993' is not a number" in problems[0][1]
    assert problems[1][0] == "<INDIVIDUAL> at line 42, DATAID 6907994"
    assert problems[1][1] == "entry without a name"
    assert current_versions(store) == []


def test_an_odd_date_in_a_un_entry_is_a_warning_and_the_entry_loads(
    lists_data: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _damaged(
        lists_data / UN_LATEST,
        tmp_path,
        ("<LISTED_ON>2005-11-01</LISTED_ON>", "<LISTED_ON>2005-13-45</LISTED_ON>"),
    )
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        parsed = un.parse(path, ParseOptions())
    subjects = {str(e.id): e for e in parsed.entities if is_subject(e)}
    assert len(subjects) == 1003
    assert "un-sc-6907994" in subjects
    assert "<INDIVIDUAL> at line 42, DATAID 6907994: listingDate: '2005-13-45'" in caplog.text


def test_every_bad_ofac_xml_entry_is_named_in_one_run(lists_data: Path, tmp_path: Path) -> None:
    path = _damaged(
        lists_data / OFAC_XML,
        tmp_path,
        ("<uid>9639</uid>", "<uid>x9639</uid>"),
        ("<lastName>ABU TEIR</lastName>\n    <sdnType>Individual</sdnType>",
         "<lastName>ABU TEIR</lastName>\n    <sdnType>Alien</sdnType>"),
        ("<lastName>AL-SHANTI</lastName>\n    <sdnType>Individual</sdnType>\n    <programList>\n"
         "      <program>NS-PLC</program>",
         "<lastName>AL-SHANTI</lastName>\n    <sdnType>Individual</sdnType>\n    <programList>"),
    )  # fmt: skip
    with pytest.raises(ListLoadError) as refused:
        ofac_xml.parse(path, ParseOptions())
    reasons = [why for _, why in refused.value.problems]
    assert len(reasons) == 3, reasons
    assert "sdnEntry without a numeric uid" in reasons[0]
    assert "unknown sdnType 'Alien'" in reasons[1]
    assert "has no program" in reasons[2]
    assert all(", uid " in place for place, _ in refused.value.problems[1:])


def test_every_bad_eu_entry_is_named_in_one_run(fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "eu_fsf_sample.xml"
    text = source.read_text(encoding="utf-8")
    damaged = text.replace('<subjectType code="', '<subjectType code="x', 2)  # two entries
    path = tmp_path / source.name
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(ListLoadError) as refused:
        eu.parse(path, ParseOptions())
    assert len(refused.value.problems) == 2
    assert all("unknown subjectType" in why for _, why in refused.value.problems)


def test_every_bad_uk_target_is_named_in_one_run(fixtures: Path, tmp_path: Path) -> None:
    path = _damaged(
        fixtures / "uk_conlist_sample.xml",
        tmp_path,
        ("<GroupTypeDescription>Individual</GroupTypeDescription>",
         "<GroupTypeDescription>Alien</GroupTypeDescription>"),
        ("<GroupID>16501</GroupID>", ""),
    )  # fmt: skip
    with pytest.raises(ListLoadError) as refused:
        uk.parse(path, ParseOptions())
    assert refused.value.problems == [
        ("line 34", "row without a Group ID"),
        ("line 4, Group ID 8591", "unknown Group Type 'alien'"),
    ]


def test_a_document_that_is_not_well_formed_is_one_error_naming_the_line(
    lists_data: Path, tmp_path: Path
) -> None:
    text = (lists_data / UN_LATEST).read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ListLoadError, match=r"line \d+: malformed XML") as refused:
        un.parse(path, ParseOptions())
    assert len(refused.value.problems) == 1


def test_an_xml_schema_date_with_a_time_zone_is_read_as_its_date(
    lists_data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The UN writes some LISTED_ON as xs:date with a zone ('2015-04-07-04:00'): a valid date,
    which the warning above showed was kept in notes instead (10 entries of 2026-02-27)."""
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        parsed = un.parse(lists_data / UN_LATEST, ParseOptions())
    assert "no date jalur can read" not in caplog.text
    [sanction] = [
        e
        for e in parsed.entities
        if e.schema.name == "Sanction" and "un-sc-6908452" in e.get("entity")
    ]
    assert sanction.get("listingDate") == ["2015-04-07"]


def test_an_element_where_an_entry_was_expected_is_named_not_skipped(
    lists_data: Path, tmp_path: Path
) -> None:
    """A misspelt entry element (`<INDIVIDUL>`, `<sdnEntri>`) used to be passed over without a
    word: a listed party silently missing from the version."""
    un_path = _damaged(
        lists_data / UN_LATEST,
        tmp_path,
        ("<INDIVIDUAL>", "<INDIVIDUL>"),
        ("</INDIVIDUAL>", "</INDIVIDUL>"),
    )
    with pytest.raises(ListLoadError) as refused:
        un.parse(un_path, ParseOptions())
    assert refused.value.problems == [
        ("<INDIVIDUL> at line 4", "unexpected element in <INDIVIDUALS>: not an INDIVIDUAL")
    ]
    ofac_path = _damaged(
        lists_data / OFAC_XML,
        tmp_path,
        ("<sdnEntry>", "<sdnEntri>"),
        ("</sdnEntry>", "</sdnEntri>"),
    )
    with pytest.raises(ListLoadError) as refused:
        ofac_xml.parse(ofac_path, ParseOptions())
    assert [why for _, why in refused.value.problems] == [
        "unexpected element in <sdnList>: not an sdnEntry"
    ]


def test_an_element_the_eu_reader_does_not_read_is_named_in_a_warning(
    fixtures: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _damaged(
        fixtures / "eu_fsf_sample.xml", tmp_path, ("<sanctionEntity ", "<sanctionEntiti ")
    )
    text = path.read_text(encoding="utf-8")
    end = text.index("</sanctionEntity>")
    path.write_text(text[:end] + "</sanctionEntiti>" + text[end + len("</sanctionEntity>") :])
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        parsed = eu.parse(path, ParseOptions())
    assert "<sanctionEntiti> at line" in caplog.text and "not read by jalur" in caplog.text
    assert len([e for e in parsed.entities if is_subject(e)]) == 2
