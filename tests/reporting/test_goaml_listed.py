"""Watchlist subjects as the list publishes them: values the bank cannot correct.

A bank corrects its own client's file when the FIU's rules refuse a value (a NIK that is not 16
digits); a watchlist entry's published identity number or e-mail is what the list says, and a
report on a listed man must still go out: the value is kept, in the person's comments, where
the FIU's rules do not apply.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from goaml_cases import complete_case, person
from lxml import etree

from jalur.reporting import Subject, build_report, load_profile

PPATK_XSD = "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"


def _listed_indonesian(**props: str) -> Subject:
    """OFAC's Muhammad Jibril: an Indonesian whose national id is published with a dot."""
    entity = person("ofac-12598", "Muhammad Jibril ABDUL RAHMAN", nationality="id", **props)
    return Subject(entity=entity, reason="OFAC SDGT")


def _report(subject: Subject, code: str, shared_data: Path) -> etree._Element:
    case = complete_case("ppatk-4.0.2", code)
    data = build_report(
        replace(case, subjects=(*case.subjects, subject)), load_profile("ppatk-4.0.2")
    )
    document = etree.fromstring(data)
    schema = etree.XMLSchema(etree.parse(str(shared_data / PPATK_XSD)))
    assert schema.validate(document), schema.error_log
    return document


def _person(document: etree._Element, last_name: str) -> etree._Element:
    found = [p for p in document.iter() if p.findtext("last_name") == last_name]
    assert len(found) == 1
    return found[0]


def test_a_listed_man_s_published_id_that_is_no_nik_goes_to_his_comments(
    shared_data: Path,
) -> None:
    subject = _listed_indonesian(idNumber="3219222002.2181558")
    found = _person(_report(subject, "LAPT", shared_data), "ABDUL RAHMAN")
    assert found.find("ssn") is None
    assert "3219222002.2181558" in (found.findtext("comments") or "")
    assert "16 digits (NIK)" in (found.findtext("comments") or "")


def test_a_listed_man_s_e_mail_the_fiu_does_not_take_goes_to_his_comments(
    shared_data: Path,
) -> None:
    subject = _listed_indonesian(email="jibril@contoh.online")
    found = _person(_report(subject, "LAPT", shared_data), "ABDUL RAHMAN")
    assert found.find("email") is None
    assert "jibril@contoh.online" in (found.findtext("comments") or "")


def test_a_listed_man_s_nik_in_the_right_form_is_his_ssn(shared_data: Path) -> None:
    subject = _listed_indonesian(idNumber="3219222002218155")
    found = _person(_report(subject, "LAPT", shared_data), "ABDUL RAHMAN")
    assert found.findtext("ssn") == "3219222002218155"


@pytest.mark.parametrize(
    ("listed_as", "first", "last"),
    [
        ("SAEED Hafiz Muhammad", "Hafiz Muhammad", "SAEED"),  # UN: family name first, capitals
        ("Muhammad Jibril ABDUL RAHMAN", "Muhammad Jibril", "ABDUL RAHMAN"),  # OFAC-style
        ("Abu Bakar BA'ASYIR", "Abu Bakar", "BA'ASYIR"),
        ("ABU RUSDAN", "ABU", "RUSDAN"),  # all capitals: nothing marks the family name
        ("Umar Patek", "Umar", "Patek"),
    ],
)
def test_a_listed_name_s_family_name_in_capitals_is_the_last_name(
    listed_as: str, first: str, last: str, shared_data: Path
) -> None:
    """The UN writes "SAEED Hafiz Muhammad": the family name in capitals, first. The report
    split every name at its last word, so the FIU was told his last name is "Muhammad" and
    searched for him under it. A run of words in capitals at either end is the family name."""
    entity = person("un-qdi-173", listed_as, nationality="pk")
    document = _report(Subject(entity=entity, reason="UN 1267"), "LAPT", shared_data)
    found = _person(document, last)
    assert found.findtext("first_name") == first
