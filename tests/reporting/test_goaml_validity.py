"""Every report code of both shipped profiles builds a report the FIU's own schema accepts."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from goaml_cases import complete_case, person, without_payments
from lxml import etree

from jalur.reporting import (
    ReportInvalidError,
    Subject,
    build_report,
    load_profile,
    report_sha256,
    shipped_profiles,
    write_report,
)

#: The shared copy of each shipped schema: the FIU's file as published (UAE: regex-patched).
SHARED_SCHEMA = {
    "ppatk-4.0.2": "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd",
    "uae-5.0.2": "goaml/goAMLSchema_UAE_5.0.2_strict-validator-patch_by_Vyttah.xsd",
}
EVERY_CODE = [
    (name, code)
    for name in ("ppatk-4.0.2", "uae-5.0.2")
    for code in load_profile(name).report_codes
]


def shared_schema(shared_data: Path, profile_name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_data / SHARED_SCHEMA[profile_name])))


def test_both_profiles_are_shipped() -> None:
    assert shipped_profiles() == ["ppatk-4.0.2", "uae-5.0.2"]
    assert {code for name, code in EVERY_CODE if name == "ppatk-4.0.2"} == {"LTKM", "LTKMT", "LAPT"}


@pytest.mark.parametrize(("profile_name", "code"), EVERY_CODE)
def test_every_report_code_is_valid_against_the_fiu_schema(
    shared_data: Path, profile_name: str, code: str
) -> None:
    data = build_report(complete_case(profile_name, code), profile_name)
    document = etree.fromstring(data)
    schema = shared_schema(shared_data, profile_name)
    assert schema.validate(document), schema.error_log
    assert document.findtext("report_code") == code
    shape = load_profile(profile_name).report_codes[code]
    if shape == "transactions":
        assert len(document.findall("transaction")) == 3
        assert document.find("activity") is None
    else:
        assert document.find("transaction") is None
        parties = document.findall("activity/report_parties/report_party")
        assert len(parties) == 5  # three subjects, two accounts


def test_shipped_schemas_are_the_published_files(shared_data: Path) -> None:
    for name, shared in SHARED_SCHEMA.items():
        shipped = load_profile(name).schema_path.read_bytes()
        assert shipped == (shared_data / shared).read_bytes(), name


@pytest.mark.parametrize("sample", ["STR", "SAR"])
def test_fiu_samples_validate_against_the_shipped_uae_schema(
    shared_data: Path, sample: str
) -> None:
    document = etree.parse(str(shared_data / f"goaml/sample_UAE_5.0.2_{sample}.xml"))
    assert load_profile("uae-5.0.2").schema.validate(document)


def test_transaction_sides_follow_who_is_the_client() -> None:
    document = etree.fromstring(build_report(complete_case("ppatk-4.0.2", "LTKMT"), "ppatk-4.0.2"))
    wire, foreign, cash = document.findall("transaction")
    assert (
        wire.find("t_from_my_client/from_account/signatory/t_person/ssn").text == "3201011505800001"
    )
    assert wire.findtext("t_to/to_account/institution_name") == "Example Bank Manila"
    assert wire.findtext("transmode_code") == "TKLN"  # outgoing, abroad, by SWIFT
    assert wire.findtext("amount_local") == "25000000.00"
    assert foreign.findtext("t_from_my_client/from_foreign_currency/foreign_currency_code") == "USD"
    assert foreign.findtext("amount_local") == "24383875.25"  # 1500.50 USD at 16250.5
    assert cash.find("t_from_my_client/from_person/last_name").text == "Santoso"


def test_values_goaml_cannot_hold_go_to_comments() -> None:
    document = etree.fromstring(build_report(complete_case("ppatk-4.0.2", "LTKMT"), "ppatk-4.0.2"))
    listed = document.find("transaction/t_to/to_account/signatory/t_person")
    assert listed.findtext("alias") == "Thoriquddin"
    assert listed.find("birthdate") is None  # "1960" is not a day
    assert listed.findtext("comments") == "birth dates: 1960"


def test_uae_reports_the_first_latin_name_and_keeps_the_others() -> None:
    case = complete_case("uae-5.0.2", "SAR")
    arabic = person("listed-2", "أبو رسدان", alias="Abu Rusdan", nationality="ph")
    case = replace(case, subjects=(*case.subjects, Subject(entity=arabic)))
    document = etree.fromstring(build_report(case, "uae-5.0.2"))
    reported = document.findall("activity/report_parties/report_party/person")[-1]
    assert reported.findtext("last_name") == "Rusdan"
    assert reported.findtext("alias") == "أبو رسدان"


def test_same_case_gives_the_same_bytes() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    assert build_report(case, "ppatk-4.0.2") == build_report(case, load_profile("ppatk-4.0.2"))


def test_write_report_writes_the_valid_bytes_and_returns_their_hash(tmp_path: Path) -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    target = tmp_path / "case-42.xml"
    digest = write_report(case, "ppatk-4.0.2", target)
    data = target.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest() == report_sha256(data)
    assert data == build_report(case, "ppatk-4.0.2")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_write_report_keeps_an_existing_report(tmp_path: Path) -> None:
    target = tmp_path / "case-42.xml"
    target.write_bytes(b"the report already filed")
    with pytest.raises(FileExistsError):
        write_report(complete_case("ppatk-4.0.2", "LTKMT"), "ppatk-4.0.2", target)
    assert target.read_bytes() == b"the report already filed"
    write_report(complete_case("ppatk-4.0.2", "LTKMT"), "ppatk-4.0.2", target, overwrite=True)
    assert target.read_bytes().startswith(b"<?xml")


def test_an_invalid_case_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "case-42.xml"
    case = without_payments(complete_case("ppatk-4.0.2", "LTKMT"))
    with pytest.raises(ReportInvalidError, match="needs at least one payment"):
        write_report(case, "ppatk-4.0.2", target)
    assert list(tmp_path.iterdir()) == []
