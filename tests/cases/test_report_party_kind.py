"""A payment party is reported as the person or organisation the case knows it to be.

A payment party used to be written as an entity (`t_entity`) whatever the case knew of it:
the listed man a screening hit in the case matched the account to went out as an
organisation whenever the payment spelled his name differently from every name on the list,
and a holder the workspace knew as a company (its legal form, its registration number) went
out as an unknown entity with the registration number in the comments. The case's own
records now decide: the subject screening matched the account to (the hit stored in the
subject's snapshot), else the holder in the account's snapshot; a party nothing describes
stays an entity (goAML's `t_entity` needs only the name as the payment gives it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from lxml import etree

from jalur.cases import ReportOptions, report_input
from jalur.model import make_entity
from jalur.reporting import ReportingSettings, build_report

REPORTER = ReportingSettings.from_section(
    {"rentity_id": 4711, "branch": "Jakarta Head Office",
     "person": {"first_name": "Siti", "last_name": "Rahma", "email": "mlro@bank.co.id"}}
)  # fmt: skip
LISTED = "ofac-9616"
COMPANY = "txp-e41a40d125d3749bbb1c4daa8f10232d"


def _listed() -> dict[str, Any]:
    entity = make_entity("Person", LISTED)
    entity.add("name", "Taufik RIFKI")
    entity.add("birthDate", "1974-08-29")
    entity.add("nationality", "id")
    hit = {"entity_id": LISTED, "party_id": "0080367725", "party_source": "transactions",
           "party_name": "T. Rifqy bin Abdullah", "score": 0.93}  # fmt: skip
    return {"entity": entity.to_dict(), "source": "lists", "schema": "Person", "screening": [hit]}


def _company_account() -> dict[str, Any]:
    holder = make_entity("Company", COMPANY)
    holder.add("name", "Global Global LLC")
    holder.add("country", "ae")
    holder.add("registrationNumber", "REG2802521")
    return {"account": "AE640000080242791", "bank": "NBADAEAAXXX", "country": "AE",
            "name": "Global Global LLC", "identifier": "REG2802521", "party_id": COMPANY,
            "holder": holder.to_dict(), "role": "subject"}  # fmt: skip


#: Each FIU profile with its report code and currency (the UAE FIU also asks a description).
PROFILES = {"ppatk-4.0.2": ("LTKMT", "IDR"), "uae-5.0.2": ("STR", "AED")}
#: The profiles' `account_type` codes (PPATK: perorangan / entitas; UAE: B / A).
ACCOUNT_TYPE = {"ppatk-4.0.2": {"person": "TPE", "entity": "TEN"},
                "uae-5.0.2": {"person": "B", "entity": "A"}}  # fmt: skip


def _case(profile: str = "ppatk-4.0.2") -> dict[str, Any]:
    code, currency = PROFILES[profile]
    wire = {"tx_id": "t1", "timestamp": "2026-03-02T08:30:00+00:00", "amount": 25_000_000.0,
            "currency": currency, "channel": "wire", "purpose": "donation",
            "orig_account": "AE640000080242791", "orig_bank": "NBADAEAAXXX",
            "orig_name": "Global Global LLC", "orig_country": "AE", "orig_identifier": "REG2802521",
            "bene_account": "0080367725", "bene_bank": "BRINIDJAXXX",
            "bene_name": "T. Rifqy bin Abdullah", "bene_country": "ID"}  # fmt: skip
    evidence = [
        {"kind": "subject", "ref": LISTED, "removed_at": None, "snapshot": _listed()},
        {"kind": "account", "ref": "AE640000080242791", "removed_at": None,
         "snapshot": _company_account()},
        {"kind": "payment", "ref": "t1", "removed_at": None, "snapshot": wire},
    ]  # fmt: skip
    decision = {"decision": "report", "report_type": code, "proposal_reason": "listed man",
                "proposed_by": "ana", "approved_by": "sam"}  # fmt: skip
    return {"case_id": "CASE-1", "status": "approved", "decision": decision, "evidence": evidence}


def _account(profile: str, number: str) -> etree._Element:
    options = ReportOptions(indicators=("DPMSJ",) if profile.startswith("uae") else ())
    case, problems = report_input(_case(profile), REPORTER, options, datetime.now(UTC))
    assert problems == []
    document = etree.fromstring(build_report(case, profile))  # checked against its XSD
    return next(a for a in document.iter("from_account", "to_account")
                if a.findtext("account") == number)  # fmt: skip


@pytest.mark.parametrize("profile", PROFILES)
def test_the_listed_person_screening_matched_the_account_to_is_its_signatory(profile: str) -> None:
    account = _account(profile, "0080367725")
    assert account.find("t_entity") is None
    person = account.find("signatory/t_person")
    assert person is not None and person.findtext("last_name") == "RIFKI"
    assert person.findtext("birthdate") == "1974-08-29T00:00:00"
    assert account.findtext("personal_account_type") == ACCOUNT_TYPE[profile]["person"]


@pytest.mark.parametrize("profile", PROFILES)
def test_a_holder_the_workspace_knows_as_a_company_is_reported_as_one(profile: str) -> None:
    account = _account(profile, "AE640000080242791")
    entity = account.find("t_entity")
    assert entity is not None and entity.findtext("name") == "Global Global LLC"
    assert entity.findtext("incorporation_number") == "REG2802521"
    # the payment's country is where the company is, not where it was incorporated
    assert entity.find("incorporation_country_code") is None
    assert "countries: AE" in (entity.findtext("comments") or "")
    assert account.findtext("personal_account_type") == ACCOUNT_TYPE[profile]["entity"]


def test_a_party_nothing_describes_stays_an_entity_named_as_paid() -> None:
    case = _case()
    case["evidence"] = [e for e in case["evidence"] if e["kind"] == "payment"]
    built, problems = report_input(case, REPORTER, ReportOptions(), datetime.now(UTC))
    assert problems == []
    document = etree.fromstring(build_report(built, "ppatk-4.0.2"))
    to_account = next(document.iter("to_account"))
    assert to_account.findtext("t_entity/name") == "T. Rifqy bin Abdullah"
    assert to_account.find("personal_account_type") is None  # its kind is not known
