"""A BIC as a file spells it: ISO 9362 codes are upper case, and goAML's `swift` holds one.

A payment file may carry `bopiphmm`; it is recognised as a BIC (case-insensitively, as
`--client-bank` matches it) and reported as the code it is, `BOPIPHMM`, not as typed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from goaml_cases import reporter
from lxml import etree

from jalur.cases.report import ReportOptions, report_input
from jalur.reporting import build_report, load_profile


def test_a_lower_case_bic_is_reported_as_the_code() -> None:
    row = {
        "tx_id": "t1",
        "timestamp": "2025-03-01T09:30:00+00:00",
        "orig_account": "0812345678",
        "orig_bank": "brinidjaxxx",
        "orig_name": "Budi Santoso",
        "orig_country": "ID",
        "bene_account": "PH0099887766",
        "bene_bank": "bopiphmm",
        "bene_name": "Umar Patek",
        "bene_country": "PH",
        "amount": 1000.0,
        "currency": "IDR",
        "channel": "wire",
    }
    details = {
        "case_id": "CASE-1",
        "status": "approved",
        "evidence": [{"kind": "payment", "ref": "t1", "snapshot": row, "removed_at": None}],
        "decision": {
            "decision": "report",
            "report_type": "LTKMT",
            "proposal_reason": "r",
            "proposed_by": "ana",
            "approved_by": "bob",
        },
    }
    case, problems = report_input(details, reporter(), ReportOptions(), datetime.now(UTC))
    assert problems == []
    document = etree.fromstring(build_report(case, load_profile("ppatk-4.0.2")))
    assert [e.text for e in document.iter("swift")] == ["BRINIDJAXXX", "BOPIPHMM"]
