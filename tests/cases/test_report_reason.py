"""The report's reason from a case: the proposal's reason, then the alerts while goAML has room."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jalur.cases import ReportOptions, report_input
from jalur.cases.service import REASON_LIMIT
from jalur.reporting import ReportingSettings

REPORTER = ReportingSettings.from_section(
    {"rentity_id": 4711, "person": {"first_name": "Siti", "last_name": "Rahma"}}
)


def _approved(reason: str, alerts: int) -> dict[str, Any]:
    evidence = [
        {"kind": "alert", "ref": f"A-{n}", "removed_at": None,
         "snapshot": {"typology": "structuring", "explanation": "deposits just under 100M"}}
        for n in range(alerts)
    ]  # fmt: skip
    decision = {"decision": "report", "report_type": "LTKMT", "proposal_reason": reason,
                "proposed_by": "ana", "approved_by": "sam"}  # fmt: skip
    return {"case_id": "CASE-1", "status": "approved", "decision": decision, "evidence": evidence}


def test_the_reason_never_outgrows_goaml_even_from_a_long_proposal() -> None:
    """A proposal's reason just within the limit left no room for the note on the alerts that
    did not fit: the note was added anyway and the report was refused, for good."""
    for length in (REASON_LIMIT, REASON_LIMIT - 30, 100):
        case, problems = report_input(
            _approved("r" * length, 500), REPORTER, ReportOptions(), datetime.now(UTC)
        )
        assert problems == []
        assert len(case.reason) <= REASON_LIMIT
        assert case.reason.startswith("r" * length)


def test_a_payment_the_case_holds_by_id_only_is_a_named_problem() -> None:
    """`{"missing": true}` (the workspace did not hold the payment when it was added) went in
    as a payment row with no amount, currency or time: the report then complained of those."""
    case = _approved("why", 0)
    case["evidence"].append(
        {"kind": "payment", "ref": "tx-9", "removed_at": None, "snapshot": {"missing": True}}
    )
    built, problems = report_input(case, REPORTER, ReportOptions(), datetime.now(UTC))
    assert built.payments == ()
    assert problems == [
        "payment tx-9: the case holds no details of it (the workspace did not hold it when it "
        "was added); return the case and remove it, or load it and add it again"
    ]
