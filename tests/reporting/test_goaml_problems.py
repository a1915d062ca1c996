"""A case that lacks what the FIU needs is refused with every problem named, and no bytes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from goaml_cases import NIK, client, complete_case, foreign_account, payment, person

from jalur.reporting import ReportInput, ReportInvalidError, Subject, build_report


def problems(case: ReportInput, profile: str = "ppatk-4.0.2") -> list[str]:
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, profile)
    return list(refused.value.problems)


def with_client(case: ReportInput, **props: str) -> ReportInput:
    """The case with the client's FtM properties replaced."""
    subject = client()
    for prop, value in props.items():
        subject.entity.set(prop, value)
    others = [s for s in case.subjects if s.entity.id != subject.entity.id]
    return replace(case, subjects=(subject, *others))


def test_a_nik_must_be_16_digits() -> None:
    case = with_client(complete_case("ppatk-4.0.2", "LTKMT"), idNumber="3201")
    nik = "subject 'Budi Santoso': ssn '3201' is not 16 digits (NIK)"
    assert f"{nik} (in payment t1, payment t2, payment t3)" in problems(case)


def test_an_npwp_must_be_15_digits() -> None:
    case = with_client(complete_case("ppatk-4.0.2", "LAPT"), taxNumber="01.234.567.8-901")
    assert problems(case) == [
        "subject 'Budi Santoso': tax_number '01.234.567.8-901' is not 15 digits (NPWP)"
    ]


def test_every_problem_is_listed_at_once() -> None:
    case = with_client(complete_case("ppatk-4.0.2", "LTKMT"), idNumber="3201", taxNumber="1")
    found = problems(case)
    assert any("ssn '3201'" in p for p in found)
    assert any("tax_number '1'" in p for p in found)


def test_an_account_without_a_bank_code_is_named() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    foreign = replace(foreign_account(), institution_name=None, bic=None)
    accounts = (case.accounts[0], foreign)
    assert problems(replace(case, accounts=accounts)) == [
        "account 'PH0099887766': institution_code or swift is missing (in payment t1, "
        "payment t2, payment t3)"
    ]


def test_an_account_known_only_from_the_payment_names_the_payment() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    row = payment("t4", 100, "IDR", bene_account="999", bene_bank="", bene_name="Unknown")
    found = problems(replace(case, payments=(row,)))
    assert found == [
        "payment t4: to_account '999': institution_code or swift is missing",
    ]


#: A party's problem names the payments it is in: the complete case's three.
IN_ALL = " (in payment t1, payment t2, payment t3)"


def test_the_client_file_must_be_complete() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    bare = Subject(entity=person("client-1", "Budi Santoso", idNumber=NIK), is_client=True)
    found = problems(replace(case, subjects=(bare, *case.subjects[1:])))
    for field in ("birthdate", "birth_place", "addresses", "occupation", "source_of_wealth"):
        assert f"subject 'Budi Santoso': {field} is missing{IN_ALL}" in found


def test_a_cash_party_must_be_a_subject() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    row = payment("t5", 100, "IDR", orig_account=None, orig_name="Stranger", orig_identifier="x")
    assert problems(replace(case, payments=(row,))) == [
        "payment t5: from: 'Stranger' has no account and is not a subject of the case"
    ]


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        (float("nan"), "is not a number"),
        (
            -5.0,
            "is negative (a reversal or refund: goAML amounts are at least zero; report it "
            "as the payment back, its sides swapped, or return the case and remove it)",
        ),
        ("ten", "is not a number"),
    ],
)
def test_an_amount_must_be_a_number_of_at_least_zero(amount: object, says: str) -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    row = payment("t6", 0, "IDR") | {"amount": amount}
    assert problems(replace(case, payments=(row,))) == [f"payment t6: amount '{amount}' {says}"]


def test_a_foreign_currency_needs_an_exchange_rate() -> None:
    case = replace(complete_case("ppatk-4.0.2", "LTKM"), exchange_rates={})
    assert problems(case) == ["payment t2: amount is in USD; no exchange rate to IDR given"]


def test_the_report_code_must_be_the_profiles() -> None:
    case = complete_case("ppatk-4.0.2", "STR")
    assert problems(case) == ["report code 'STR' is not one of LTKM, LTKMT, LAPT"]


def test_a_transaction_report_needs_payments() -> None:
    case = replace(complete_case("uae-5.0.2", "STR"), payments=())
    assert problems(case, "uae-5.0.2") == [
        "a STR report needs at least one payment: add the case's payments, or report its "
        "subjects with an activity code (SAR, AIF)"
    ]


def test_uae_refuses_names_only_in_other_scripts() -> None:
    case = complete_case("uae-5.0.2", "SAR")
    cyrillic = Subject(entity=person("p-9", "Абу Русдан"))
    found = problems(replace(case, subjects=(*case.subjects, cyrillic)), "uae-5.0.2")
    assert found[0].startswith("subject 'Абу Русдан': first_name 'Абу' has characters this FIU")


def test_characters_xml_cannot_carry_are_named() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    row = payment("t7", 1, "IDR", purpose="zakat\x0cfund")
    assert problems(replace(case, payments=(row,))) == [
        "payment t7: transaction_description 'zakat\\x0cfund' contains U+000C, not allowed in XML"
    ]


def test_schema_errors_are_told_from_the_part_of_the_case() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    long_id = "t" * 51  # transactionnumber holds at most 50 characters
    found = problems(replace(case, payments=(payment(long_id, 1, "IDR"),)))
    assert len(found) == 1
    assert found[0].startswith(f"payment {long_id}: transactionnumber: ")
    assert found[0].endswith(
        "is 51 characters long, more than the 50 the FIU's schema allows; shorten it where it "
        "was loaded (schema)"
    )


def test_a_missing_reporting_person_email_is_named() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    person_without_mail = replace(case.reporter.person, email=None)
    case = replace(case, reporter=replace(case.reporter, person=person_without_mail))
    assert problems(case) == ["reporting person ([reporting.person]): email is missing"]


def test_a_zero_reporting_entity_id_is_refused_by_the_schema() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    case = replace(case, reporter=replace(case.reporter, rentity_id=0))
    found = problems(case)
    assert len(found) == 1
    assert found[0].startswith("report: rentity_id: ")


def test_a_payment_time_beyond_the_fius_calendar_is_named() -> None:
    """Core banking systems write 9999-12-31 for "no date": 23:00 UTC that day is past the
    last day Python can tell in Jakarta, and the builder ended in an OverflowError."""
    case = complete_case("ppatk-4.0.2", "LTKM")
    late = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    row = payment("t6", 0, "IDR") | {"timestamp": late}
    assert problems(replace(case, payments=(row,))) == [
        "payment t6: timestamp 9999-12-31 23:00:00+00:00 cannot be told in the FIU's time "
        "zone (Asia/Jakarta): correct the payment's date"
    ]


def test_a_negative_zero_amount_is_reported_as_zero() -> None:
    case = complete_case("ppatk-4.0.2", "LTKM")
    row = payment("t6", 0, "IDR") | {"amount": -0.0}
    data = build_report(replace(case, payments=(row,)), "ppatk-4.0.2")
    assert b"<amount_local>0.00</amount_local>" in data
