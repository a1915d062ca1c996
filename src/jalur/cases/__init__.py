"""Cases: alerts, hits and channels worked by analysts, decided with four eyes, audited.

`workflow` holds the rules (pure), `service` applies them to the SQL store with an audit entry
per action, `evidence` pulls what a case is about from the analytical DuckDB store.
"""

from __future__ import annotations

from jalur.cases.workflow import (
    DECISIONS,
    STATUSES,
    CaseState,
    WorkflowError,
    next_status,
)

__all__ = ["DECISIONS", "STATUSES", "CaseState", "WorkflowError", "next_status"]
