"""Cases: alerts, hits and channels worked by analysts, decided with four eyes, audited.

`workflow` holds the rules (pure), `service` applies them to the SQL store with an audit entry
per action, `evidence` pulls what a case is about from the analytical DuckDB store.
"""

from __future__ import annotations

import typer

from jalur.cases.queries import case_details, disclosable, list_cases
from jalur.cases.service import (
    CaseError,
    Evidence,
    add_evidence,
    approve,
    mark_reported,
    open_case,
    propose,
    record_export,
    return_case,
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
    "DECISIONS",
    "STATUSES",
    "CaseError",
    "CaseState",
    "Evidence",
    "WorkflowError",
    "add_evidence",
    "approve",
    "case_details",
    "disclosable",
    "list_cases",
    "mark_reported",
    "next_status",
    "open_case",
    "propose",
    "record_export",
    "register_cli",
    "return_case",
]
