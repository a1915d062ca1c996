"""A report says only what the case knows: a bank's code is not its name, a date-only payment
has no time of day, and a name too long for the FIU is refused with the limit it breaks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from goaml_cases import client, client_account, complete_case, foreign_account, payment
from lxml import etree

from jalur.reporting import ReportInput, ReportInvalidError, build_report, load_profile
from jalur.reporting.record import shown

PPATK_XSD = "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"


def valid_report(case: ReportInput, shared_data: Path) -> etree._Element:
    """The report built for PPATK, checked against the FIU's own published XSD."""
    document = etree.fromstring(build_report(case, "ppatk-4.0.2"))
    schema = etree.XMLSchema(etree.parse(str(shared_data / PPATK_XSD)))
    assert schema.validate(document), schema.error_log
    return document


def problems(case: ReportInput) -> list[str]:
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, "ppatk-4.0.2")
    return list(refused.value.problems)


def _accounts(document: etree._Element, number: str) -> list[etree._Element]:
    return [
        a for a in document.iter("from_account", "to_account") if a.findtext("account") == number
    ]


def test_a_bic_is_reported_as_swift_not_as_the_banks_name(shared_data: Path) -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    # as a case hands it over when the payment gave only the bank's BIC
    foreign = replace(foreign_account(), institution_name="EXMPPHMM")
    document = valid_report(replace(case, accounts=(client_account(), foreign)), shared_data)
    accounts = _accounts(document, "PH0099887766")
    assert accounts
    for account in accounts:
        assert account.findtext("swift") == "EXMPPHMM"
        assert account.find("institution_name") is None


def test_a_national_bank_code_is_not_the_banks_name_either(shared_data: Path) -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    foreign = replace(foreign_account(), institution_name="014", bic=None, institution_code="014")
    document = valid_report(replace(case, accounts=(client_account(), foreign)), shared_data)
    for account in _accounts(document, "PH0099887766"):
        assert account.findtext("institution_code") == "014"
        assert account.find("institution_name") is None


def test_an_account_known_only_from_a_payment_row_has_its_bic_as_swift(shared_data: Path) -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    row = payment("t9", 100, "IDR", bene_account="777", bene_bank="BNINIDJA", bene_name="Ani")
    document = valid_report(replace(case, payments=(row,)), shared_data)
    account = document.find("transaction/t_to/to_account")
    assert account is not None
    assert account.findtext("swift") == "BNINIDJA"
    assert account.find("institution_name") is None


def test_the_banks_own_account_takes_the_reporting_entitys_name(shared_data: Path) -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    own = replace(client_account(), institution_name="BCONIDJA")
    reporter = replace(case.reporter, name="PT Bank Contoh Indonesia Tbk")
    case = replace(case, reporter=reporter, accounts=(own, foreign_account()))
    document = valid_report(case, shared_data)
    accounts = _accounts(document, "1234567890")
    assert accounts
    assert {a.findtext("institution_name") for a in accounts} == {"PT Bank Contoh Indonesia Tbk"}
    assert {a.findtext("swift") for a in accounts} == {"BCONIDJA"}


def test_the_banks_own_account_without_a_name_is_refused_not_named_by_its_bic() -> None:
    """Refused, and saying where the name goes: "institution_name is missing" for each client
    account left the reporting officer looking at payments, when the one fix for all of them is
    `[reporting] name` in jalur.toml."""
    case = complete_case("ppatk-4.0.2", "LTKMT")
    own = replace(client_account(), institution_name="BCONIDJA")
    found = problems(replace(case, accounts=(own, foreign_account())))
    assert found == [
        "the bank's own (client) accounts need its name as institution_name: set [reporting] "
        "name in jalur.toml"
    ]


def test_a_name_over_the_fius_limit_is_refused_with_the_limit_and_the_length() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    subject = client()
    subject.entity.set("lastName", "X" * 120)
    subjects = (subject, *(s for s in case.subjects if s.entity.id != subject.entity.id))
    foreign = replace(foreign_account(), name="N" * 300)
    found = problems(replace(case, subjects=subjects, accounts=(client_account(), foreign)))
    assert found == [
        f"subject 'Budi Santoso': last_name: {shown('X' * 120)} is 120 characters long, more "
        "than the 100 the FIU's schema allows; shorten it where it was loaded (schema) "
        "(in payment t1, payment t2, payment t3)",
        f"account 'PH0099887766': account_name: {shown('N' * 300)} is 300 characters long, "
        "more than the 255 the FIU's schema allows; shorten it where it was loaded (schema) "
        "(in payment t1, payment t2, payment t3)",
    ]


def test_a_too_long_name_from_a_payment_row_names_the_payment() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    row = payment("t9", 100, "IDR", bene_account="777", bene_bank="BNINIDJA", bene_name="A" * 256)
    assert problems(replace(case, payments=(row,))) == [
        f"payment t9: to_account '777': account_name: {shown('A' * 256)} is 256 characters "
        "long, more than the 255 the FIU's schema allows; shorten it where it was loaded (schema)"
    ]


def test_a_uae_report_with_a_bank_known_by_its_bic_alone_goes_out(shared_data: Path) -> None:
    # the UAE t_account leaves institution_name optional too: the report was refused once
    # the BIC stopped standing in for the bank's name
    case = complete_case("uae-5.0.2", "STR")
    foreign = replace(foreign_account(), institution_name="EXMPPHMM")
    document = etree.fromstring(
        build_report(replace(case, accounts=(client_account(), foreign)), "uae-5.0.2")
    )
    schema = load_profile("uae-5.0.2").schema  # the shipped XSD the profile validates with
    assert schema.validate(document), schema.error_log
    accounts = _accounts(document, "PH0099887766")
    assert accounts
    for account in accounts:
        assert account.findtext("swift") == "EXMPPHMM"
        assert account.find("institution_name") is None
