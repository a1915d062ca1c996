"""Cases: alerts, hits and channels worked by analysts, decided with four eyes, audited.

`workflow` holds the rules (pure), `service` applies them to the SQL store with an audit entry
per action, `evidence` pulls what a case is about from the analytical DuckDB store, and
`report` turns an approved case into the input of a goAML report and records the report's hash;
`replay` checks each case's stored state against its audited actions (`jalur audit verify`).
"""

from __future__ import annotations

import typer

from jalur.cases.citing import CITATIONS_PAGE, Citation, agency_cases_citing, cases_citing
from jalur.cases.client_file import ClientAccount, read_client_file
from jalur.cases.evidence import evidence_for
from jalur.cases.queries import case_details, disclosable, list_cases
from jalur.cases.replay import CaseProblem, check_cases
from jalur.cases.report import (
    REPORT_GENERATED,
    ReportOptions,
    check_reportable,
    parse_rates,
    record_report,
    report_codes,
    report_input,
    unmatched_client_banks,
)
from jalur.cases.service import (
    AlertWorkedError,
    CaseError,
    Evidence,
    add_evidence,
    approve,
    assign,
    comment,
    mark_reported,
    note_on_case,
    open_case,
    propose,
    record_export,
    require_owner,
    return_case,
    withdraw,
)
from jalur.cases.workflow import (
    DECISIONS,
    STATUSES,
    CaseState,
    WorkflowError,
    next_status,
)


def register_cli(app: typer.Typer) -> None:
    """Add `jalur cases …` to the root app."""
    from jalur.cases.cli import cases_app

    app.add_typer(cases_app, name="cases")


__all__ = [
    "CITATIONS_PAGE",
    "DECISIONS",
    "REPORT_GENERATED",
    "STATUSES",
    "AlertWorkedError",
    "CaseError",
    "CaseProblem",
    "CaseState",
    "Citation",
    "ClientAccount",
    "Evidence",
    "ReportOptions",
    "WorkflowError",
    "add_evidence",
    "agency_cases_citing",
    "approve",
    "assign",
    "case_details",
    "cases_citing",
    "check_cases",
    "check_reportable",
    "comment",
    "disclosable",
    "evidence_for",
    "list_cases",
    "mark_reported",
    "next_status",
    "note_on_case",
    "open_case",
    "parse_rates",
    "propose",
    "read_client_file",
    "record_export",
    "record_report",
    "register_cli",
    "report_codes",
    "report_input",
    "require_owner",
    "return_case",
    "unmatched_client_banks",
    "withdraw",
]
