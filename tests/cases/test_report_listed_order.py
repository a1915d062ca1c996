"""A listed man is reported as the list knows him, whatever order the payment gives his names.

The UN lists "SAEED Hafiz Muhammad" (family name first, in capitals); a payment names its
beneficiary "Hafiz Muhammad Saeed". The case held both, but parties were matched to subjects by
their exact (case-folded) name: the account went out held by a bare payment party and the listed
man, his birth date and nationality, was left out of the transaction report. Names are now
compared by the screening's normalised words, in any order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from jalur.cases import ReportOptions, report_input
from jalur.model import make_entity
from jalur.reporting import ReportingSettings, build_report

REPORTER = ReportingSettings.from_section(
    {"rentity_id": 4711, "branch": "Jakarta Head Office",
     "person": {"first_name": "Siti", "last_name": "Rahma", "email": "mlro@bank.co.id"}}
)  # fmt: skip
LISTED = "un-QDi.173"


def _listed() -> dict[str, Any]:
    entity = make_entity("Person", LISTED)
    entity.add("name", "SAEED Hafiz Muhammad")
    entity.add("birthDate", "1950-03-05")
    entity.add("nationality", "pk")
    return {"entity": entity.to_dict(), "source": "lists", "schema": "Person"}


def _payment(tx_id: str, **sides: Any) -> dict[str, Any]:
    return {"tx_id": tx_id, "timestamp": "2026-03-02T08:30:00+00:00", "amount": 25_000_000.0,
            "currency": "IDR", "channel": "wire", **sides}  # fmt: skip


def _case() -> dict[str, Any]:
    wire = _payment(
        "t1",
        orig_account="0812345678",
        orig_bank="BRINIDJA",
        orig_name="Budi Santoso",
        orig_country="ID",
        bene_account="PK-1234",
        bene_bank="HABBPKKA",
        bene_name="Hafiz Muhammad Saeed",
        bene_country="PK",
    )
    cash = _payment("t2", orig_name="hafiz muhammad SAEED", bene_account="0812345678",
                    bene_bank="BRINIDJA", bene_name="Budi Santoso", channel="cash")  # fmt: skip
    evidence = [
        {"kind": "subject", "ref": LISTED, "removed_at": None, "snapshot": _listed()},
        *({"kind": "payment", "ref": p["tx_id"], "removed_at": None, "snapshot": p}
          for p in (wire, cash)),
    ]  # fmt: skip
    decision = {"decision": "report", "report_type": "LTKMT", "proposal_reason": "listed man",
                "proposed_by": "ana", "approved_by": "sam"}  # fmt: skip
    return {"case_id": "CASE-1", "status": "approved", "decision": decision, "evidence": evidence}


def test_a_listed_man_named_in_another_order_is_the_payment_party() -> None:
    case, problems = report_input(
        _case(), REPORTER, ReportOptions(rates={"USD": Decimal(1)}), datetime.now(UTC)
    )
    assert problems == []
    held = {account.number: account.holders for account in case.accounts}
    assert held["PK-1234"] == (LISTED,)
    assert [s.entity.id for s in case.subjects if s.entity.id.startswith("txp-")] == [
        s.entity.id for s in case.subjects if "Budi" in s.entity.caption
    ]  # only the client is a bare payment party
    document = etree.fromstring(build_report(case, "ppatk-4.0.2"))
    to_account = next(a for a in document.iter("to_account") if a.findtext("account") == "PK-1234")
    listed = to_account.find("signatory/t_person")
    assert listed is not None and listed.findtext("birthdate") == "1950-03-05T00:00:00"
    assert listed.findtext("nationality1") == "PK"
    cash = next(t for t in document.iter("transaction") if t.findtext("transactionnumber") == "t2")
    assert cash.findtext("t_from/from_person/birthdate") == "1950-03-05T00:00:00"


def test_a_hit_in_the_case_makes_the_account_the_listed_man_s_however_spelt() -> None:
    """A case opened on a screening hit (`--hit PK-1234/un-QDi.173`) is about that match: the
    payment's "Hafiz M. Saeed" (a fuzzy hit) is the listed man, not a bare payment party."""
    case = _case()
    for item in case["evidence"]:
        if item["kind"] == "payment" and item["ref"] == "t1":
            item["snapshot"] = {**item["snapshot"], "bene_name": "Hafiz M. Saeed"}
    built, _ = report_input(case, REPORTER, ReportOptions(), datetime.now(UTC))
    assert {a.number: a.holders for a in built.accounts}["PK-1234"] != (LISTED,)  # no hit: apart
    case["evidence"].append(
        {"kind": "hit", "ref": f"PK-1234/{LISTED}", "removed_at": None, "snapshot": {}}
    )
    built, problems = report_input(case, REPORTER, ReportOptions(), datetime.now(UTC))
    assert problems == []
    assert {a.number: a.holders for a in built.accounts}["PK-1234"] == (LISTED,)
