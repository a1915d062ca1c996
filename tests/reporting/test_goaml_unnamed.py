"""A payment side the payment does not name at all: cash paid in by someone unnamed.

goAML's two-sided transaction needs an account, person or entity on each side; a payment that
names no one on one side (no account, no name, no identifier: a cash deposit, a party known by
its bank only) is reported in goAML's multi-party form, `involved_parties`, with the one side
it names, its role, and a comment that the other side is not named: no party is made up. A
payment that names no one on either side is refused saying so, once for all such payments.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from goaml_cases import INDICATORS, complete_case, payment
from lxml import etree

from jalur.reporting import ReportInvalidError, build_report, load_profile

XSD = {
    "ppatk-4.0.2": "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd",
    "uae-5.0.2": "goaml/goAMLSchema_UAE_5.0.2_strict-validator-patch_by_Vyttah.xsd",
}
CODE = {"ppatk-4.0.2": "LTKMT", "uae-5.0.2": "STR"}
UNNAMED_ORIG = {"orig_account": None, "orig_bank": None, "orig_name": None, "orig_country": None}
UNNAMED_BENE = {"bene_account": None, "bene_bank": None, "bene_name": None, "bene_country": None}


def _report(profile: str, shared_data: Path, **side: Any) -> etree._Element:
    case = complete_case(profile, CODE[profile])
    cash = payment("t9", 5_000_000, "IDR", channel="cash", **side)
    rates = {**case.exchange_rates, "IDR": 1} if profile == "uae-5.0.2" else case.exchange_rates
    case = replace(case, payments=(cash,), exchange_rates=rates, indicators=INDICATORS[profile])
    document = etree.fromstring(build_report(case, load_profile(profile)))
    schema = etree.XMLSchema(etree.parse(str(shared_data / XSD[profile])))
    assert schema.validate(document), schema.error_log
    found = document.find("transaction")
    assert found is not None
    return found


@pytest.mark.parametrize("profile", ["ppatk-4.0.2", "uae-5.0.2"])
def test_cash_paid_in_by_someone_unnamed_is_reported_with_the_account_alone(
    profile: str, shared_data: Path
) -> None:
    found = _report(profile, shared_data, **UNNAMED_ORIG)
    assert found.find("t_from") is None and found.find("t_from_my_client") is None
    parties = found.findall("involved_parties/party")
    assert len(parties) == 1
    party = parties[0]
    assert party.findtext("role") == {"ppatk-4.0.2": "PMF", "uae-5.0.2": "BNFCR"}[profile]
    assert party.findtext("account/account") == "PH0099887766"
    assert party.findtext("country") == "PH"
    assert found.findtext("comments") == "originator: not named in the payment"


def test_cash_taken_out_to_someone_unnamed_is_a_withdrawal_by_the_payer(
    shared_data: Path,
) -> None:
    found = _report("ppatk-4.0.2", shared_data, **UNNAMED_BENE)
    party = found.find("involved_parties/party")
    assert party is not None
    assert party.findtext("role") == "PBY"
    assert party.find("account_my_client") is not None  # the client's own account
    assert found.findtext("transmode_code") == "TARIK"
    assert found.findtext("comments") == "beneficiary: not named in the payment"


def test_a_party_known_by_its_bank_only_has_its_bank_in_the_comments(shared_data: Path) -> None:
    found = _report("ppatk-4.0.2", shared_data, **UNNAMED_ORIG | {"orig_bank": "BRINIDJA"})
    assert found.findtext("comments") == "originator: not named in the payment (its bank: BRINIDJA)"


def test_dozens_of_payments_naming_no_one_are_one_problem_per_side() -> None:
    """Neither side named: nothing to report; 59 such payments, one line per side."""
    case = complete_case("ppatk-4.0.2", "LTKMT")
    rows = tuple(payment(f"c{i}", 1_000, "IDR", **UNNAMED_ORIG, **UNNAMED_BENE) for i in range(59))
    with pytest.raises(ReportInvalidError) as refused:
        build_report(replace(case, payments=rows), "ppatk-4.0.2")
    named = "(in payment c0, payment c1, payment c2, payment c3, payment c4 and 54 more)"
    assert refused.value.problems == (
        "from: the payment names no originator (no account, name or identifier); goAML's "
        f"transaction needs one on each side {named}",
        "to: the payment names no beneficiary (no account, name or identifier); goAML's "
        f"transaction needs one on each side {named}",
    )
