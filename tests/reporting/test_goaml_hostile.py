"""Reports from payments we did not make: messy or hostile party data from loaded files.

Each case is built as `jalur report goaml` builds it (`cases.report_input` over payment
snapshots) and either validates against the shared PPATK XSD or is refused with problems that
name the payment and the field; it never crashes and never states what the payment did not say.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from goaml_cases import reporter
from lxml import etree

from jalur.cases.report import ReportOptions, report_input
from jalur.reporting import ReportInput, ReportInvalidError, build_report, load_profile

PPATK_XSD = "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"


def _payment(tx_id: str = "t1", **changes: Any) -> dict[str, Any]:
    """A payment snapshot as `tx load` leaves it: an outgoing wire to the Philippines."""
    row: dict[str, Any] = {
        "tx_id": tx_id,
        "timestamp": "2025-03-01T09:30:00+00:00",
        "orig_account": "0812345678",
        "orig_bank": "BRINIDJA",
        "orig_name": "Budi Santoso",
        "orig_country": "ID",
        "bene_account": "PH0099887766",
        "bene_bank": "BOPIPHMM",
        "bene_name": "Umar Patek",
        "bene_country": "PH",
        "amount": 1000.0,
        "currency": "IDR",
        "channel": "wire",
        "purpose": "donation",
    }
    return row | changes


def _case(
    *payments: dict[str, Any],
    rates: dict[str, Decimal] | None = None,
    alerts: tuple[dict[str, Any], ...] = (),
) -> ReportInput:
    details = {
        "case_id": "CASE-1",
        "status": "approved",
        "evidence": [
            {"kind": "payment", "ref": p["tx_id"], "snapshot": p, "removed_at": None}
            for p in payments
        ]
        + [{"kind": "alert", "ref": "AL1", "snapshot": a, "removed_at": None} for a in alerts],
        "decision": {
            "decision": "report",
            "report_type": "LTKMT",
            "proposal_reason": "Transfers to a listed man",
            "proposed_by": "ana",
            "approved_by": "bob",
        },
    }
    options = ReportOptions(rates=rates or {})
    case, problems = report_input(details, reporter(), options, datetime(2025, 3, 5, tzinfo=UTC))
    assert problems == []
    return case


@functools.cache
def _schemas(path: Path) -> tuple[etree.XMLSchema, xmlschema.XMLSchema11]:
    return etree.XMLSchema(etree.parse(str(path))), xmlschema.XMLSchema11(str(path))


def _valid(case: ReportInput, shared_data: Path) -> etree._Element:
    """The report, checked against the shared copy of PPATK's XSD (not only the shipped one)
    by libxml2 and by xmlschema (its XSD 1.1 validator: the 1.0 one rejects a PPATK regex)."""
    data = build_report(case, load_profile("ppatk-4.0.2"))
    document = etree.fromstring(data)
    libxml2, xsd11 = _schemas(shared_data / PPATK_XSD)
    assert libxml2.validate(document), libxml2.error_log
    assert [str(e) for e in xsd11.iter_errors(data.decode())] == []
    return document


def _refused(case: ReportInput) -> tuple[str, ...]:
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, load_profile("ppatk-4.0.2"))
    return refused.value.problems


def test_a_lone_surrogate_in_a_name_is_refused_by_name_not_a_crash() -> None:
    problems = _refused(_case(_payment(orig_name="Budi\ud800 Santoso")))
    assert any("U+D800" in p and "0812345678" in p for p in problems), problems


@pytest.mark.parametrize("name", ["", "  \t ", None])
def test_a_party_without_a_name_is_not_named_after_its_account(
    name: str | None, shared_data: Path
) -> None:
    report = _valid(_case(_payment(orig_name=name)), shared_data)
    account = report.xpath("//t_from/from_account")[0]
    assert account.findtext("account") == "0812345678"
    # the payment names no holder: the report must not make one up from the account number
    assert account.find("account_name") is None
    assert account.find("t_entity") is None
    assert account.find("personal_account_type") is None


def test_what_a_payment_says_of_an_unnamed_holder_goes_to_the_account_comments(
    shared_data: Path,
) -> None:
    payment = _payment(orig_name=" ", orig_identifier="3201-77", orig_address="Jl. Kenari 5")
    report = _valid(_case(payment), shared_data)
    account = report.xpath("//t_from/from_account")[0]
    assert account.find("t_entity") is None
    assert account.findtext("comments") == (
        "holder not named in the payment; identifier: 3201-77; address: Jl. Kenari 5"
    )


@pytest.mark.parametrize(
    ("amount", "currency", "local", "foreign"),
    [
        (0.1 + 0.2, "IDR", "0.30", None),  # float noise beyond float64's digits
        (1e15, "IDR", "1000000000000000.00", None),
        (1234.567, "IDR", "1234.567", None),  # a sub-unit amount is what was paid
        (0.0, "IDR", "0.00", None),
        (0.001, "USD", "16.25", "0.001"),  # the local amount is a conversion, rounded
        (12.5, "USD", "203131.25", "12.50"),
    ],
)
def test_amounts_are_the_payment_s_own(
    amount: float, currency: str, local: str, foreign: str | None, shared_data: Path
) -> None:
    case = _case(_payment(amount=amount, currency=currency), rates={"USD": Decimal("16250.5")})
    report = _valid(case, shared_data)
    assert report.xpath("string(//amount_local)") == local
    assert (report.xpath("//foreign_amount/text()") or [None])[0] == foreign


def test_the_same_payment_twice_is_refused_not_counted_twice() -> None:
    case = _case(_payment("t1"), _payment("t2", amount=5.0))
    twice = replace(case, payments=(*case.payments, case.payments[0]))
    assert _refused(twice) == ("payment t1: given 2 times; each payment is reported once",)


def test_hundreds_of_payments_make_one_valid_report(shared_data: Path) -> None:
    payments = [_payment(f"t{n}", amount=n + 0.5) for n in range(300)]
    report = _valid(_case(*payments), shared_data)
    assert report.xpath("//transactionnumber/text()") == [f"t{n}" for n in range(300)]
    assert report.xpath("//amount_local/text()") == [f"{n}.50" for n in range(300)]


def test_a_name_over_the_schema_s_length_names_the_account_field_and_payments() -> None:
    payments = [_payment(f"t{n}", bene_name="B" * 300) for n in range(7)]
    problems = _refused(_case(*payments))
    assert len(problems) == 2, problems  # the account's name and its holder's, not 14 lines
    assert problems[0].startswith("account 'PH0099887766': account_name: ")
    assert "is 300 characters long, more than the 255 the FIU's schema allows" in problems[0]
    for problem in problems:
        assert problem.endswith(
            "(schema) (in payment t0, payment t1, payment t2, payment t3, payment t4 and 2 more)"
        )


def test_a_character_xml_cannot_carry_names_the_payments_it_came_in() -> None:
    payments = [_payment("t1", orig_name="Bu\x00di"), _payment("t2", orig_account="0899")]
    assert _refused(_case(*payments)) == (
        "account '0812345678': account_name 'Bu\\x00di' contains U+0000, not allowed in XML "
        "(in payment t1)",
    )


def test_a_payment_party_s_account_is_not_declared_an_entity_s(shared_data: Path) -> None:
    # a payment says nobody's kind: "Budi Santoso" is a man, not a company's savings account
    report = _valid(_case(_payment()), shared_data)
    assert report.xpath("//personal_account_type") == []


def test_a_payment_dated_after_the_report_is_refused() -> None:
    problems = _refused(_case(_payment(timestamp="2999-01-01T00:00:00+00:00")))
    assert problems == (
        "payment t1: timestamp 2999-01-01T07:00:00 (FIU time) is after the report's submission "
        "2025-03-05T07:00:00: a payment cannot be reported before it happens; correct its date",
    )


@pytest.mark.parametrize(
    ("timestamp", "reported"),
    [
        ("2025-03-01T09:30:00+00:00", "2025-03-01T16:30:00"),  # UTC to Jakarta time
        ("2025-03-01T09:30:00+14:00", "2025-03-01T02:30:00"),  # the zone is honoured
        ("2025-03-01T09:30:00", "2025-03-01T09:30:00"),  # naive: already the FIU's time
    ],
)
def test_payment_times_are_told_in_the_fiu_s_zone(
    timestamp: str, reported: str, shared_data: Path
) -> None:
    report = _valid(_case(_payment(timestamp=timestamp)), shared_data)
    assert report.xpath("string(//date_transaction)") == reported


def test_a_payment_before_1900_is_refused_naming_the_payment_and_field() -> None:
    (problem,) = _refused(_case(_payment(timestamp="1899-06-01T00:00:00+00:00")))
    assert problem.startswith("payment t1: date_transaction: ")
    assert "less than the minimum value allowed ('1900-01-01T00:00:00')" in problem


def test_an_amount_beyond_the_float_table_s_exact_range_is_refused() -> None:
    # "12345678901234567.89" in a file is stored as the float 12345678901234568.0
    problems = _refused(_case(_payment(amount=float("12345678901234567.89"))))
    assert problems == (
        "payment t1: amount '1.2345678901234568e+16' is beyond what the payment table holds "
        "exactly (2^53, about 9.0e15): its last digits may not be the source's; check the "
        "amount in the file it was loaded from",
    )


def test_a_payment_party_s_identifier_is_kept_in_the_entity_s_comments(
    shared_data: Path,
) -> None:
    report = _valid(_case(_payment(bene_identifier="PH-TIN-778899")), shared_data)
    entity = report.xpath("//t_to/to_account/t_entity")[0]
    assert entity.findtext("comments") == "identifiers: idNumber PH-TIN-778899 | countries: PH"


def test_what_goaml_has_no_element_for_goes_to_the_transaction_s_comments(
    shared_data: Path,
) -> None:
    payment = _payment(
        orig_ultimate="Yayasan Amal Contoh",
        bene_ultimate="Abu Rusdan",
        intermediary_banks="CHASUS33; BOPIPHMM",
        amount_received=61.5,
        currency_received="USD",
    )
    report = _valid(_case(payment), shared_data)
    assert report.xpath("string(//transaction/comments)") == (
        "ultimate originator: Yayasan Amal Contoh | ultimate beneficiary: Abu Rusdan | "
        "intermediary banks: CHASUS33; BOPIPHMM | received: 61.50 USD"
    )


@pytest.mark.parametrize(
    ("changes", "rates", "start"),
    [
        ({"bene_country": "Philippines"}, {}, "payment t1: to_country: "),  # a name, no code
        ({"bene_country": "XX"}, {}, "payment t1: to_country: "),
        ({"currency": "XYZ"}, {"XYZ": Decimal(2)}, "payment t1: foreign_currency_code: "),
        ({"currency": "USD"}, {}, "payment t1: amount is in USD; no exchange rate to IDR"),
        ({"amount": -5.0}, {}, "payment t1: amount '-5.0' is negative"),
        ({"amount": float("nan")}, {}, "payment t1: amount 'nan' is not a number"),
        ({"bene_account": "GB" + "1" * 60}, {}, "account 'GB111"),
        ({"uetr": "u" * 51}, {}, "payment t1: internal_ref_number: "),
        ({"purpose": "p" * 4001}, {}, "payment t1: transaction_description: "),
        # neither side named (one side alone goes out multi-party: test_goaml_unnamed.py)
        (
            {
                "orig_account": None,
                "orig_bank": None,
                "orig_name": None,
                "bene_account": None,
                "bene_bank": None,
                "bene_name": None,
            },
            {},
            "payment t1: from: ",
        ),
    ],
)
def test_values_goaml_cannot_carry_are_refused_naming_payment_and_field(
    changes: dict[str, Any], rates: dict[str, Decimal], start: str
) -> None:
    problems = _refused(_case(_payment(**changes), rates=rates))
    assert problems[0].startswith(start), problems
    assert "payment t1" in problems[0]


def test_right_to_left_and_combining_names_are_carried_as_given(shared_data: Path) -> None:
    name = "عبد الله\u0301 Nguye\u0302\u0303n"
    report = _valid(_case(_payment(orig_name=name)), shared_data)
    # FtM keeps names in NFC: "e" + U+0302 + U+0303 is the same text as "ễ"
    assert report.xpath("string(//t_from//t_entity/name)") == unicodedata.normalize("NFC", name)


@pytest.mark.parametrize("currency", [None, "", "  "])
def test_a_payment_without_currency_is_not_taken_for_rupiah(currency: str | None) -> None:
    assert _refused(_case(_payment(currency=currency))) == ("payment t1: currency is missing",)


def test_a_payment_id_with_terminal_escapes_is_shown_escaped() -> None:
    problems = _refused(_case(_payment("t1\x1b[2J")))
    assert problems == (
        "payment 't1\\x1b[2J': transactionnumber 't1\\x1b[2J' contains U+001B, not allowed in XML",
    )
    assert all(p.isprintable() for p in problems)


def test_a_payment_party_is_not_said_to_be_incorporated_in_its_country(
    shared_data: Path,
) -> None:
    report = _valid(_case(_payment()), shared_data)
    assert report.xpath("//incorporation_country_code") == []
    entity = report.xpath("//t_to/to_account/t_entity")[0]
    assert entity.findtext("comments") == "countries: PH"
    assert report.xpath("string(//t_to/to_country)") == "PH"


def test_an_alert_quoting_a_hostile_account_keeps_the_report_valid(shared_data: Path) -> None:
    # monitoring's explanation quotes the account as loaded, control characters and all
    alert = {"typology": "pass_through", "explanation": "A\x1b[2J\x00 passes money on"}
    report = _valid(_case(_payment(), alerts=(alert,)), shared_data)
    assert report.findtext("reason") == (
        "Transfers to a listed man\nAlert AL1 (pass_through): A\\x1b[2J\\x00 passes money on"
    )


def test_a_schema_error_quoting_a_bidi_override_is_shown_escaped() -> None:
    (problem,) = _refused(_case(_payment(bene_country="\u202ePH")))
    assert "The value '\\u202ePH' is not an element of the set" in problem
    assert problem.isprintable()
