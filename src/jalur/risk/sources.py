"""Labels from analysts' decisions: the dispositions of closed (and reported) cases.

Cases keep, per alert of a closed case, whether it was a true or a false positive; the
alert's subject account gets that label. Read through the cases and monitoring public APIs.
"""

from __future__ import annotations

import typer

from jalur import users
from jalur.cases import case_details, list_cases
from jalur.monitoring import alert_evidence
from jalur.risk.labels import Labels, labels_from_dispositions
from jalur.store import Store

#: Case statuses whose decision is final (cases' FINAL).
DECIDED = ("closed", "reported")


def case_labels(ctx: typer.Context, store: Store, known: list[str]) -> Labels:
    """Labels on alert subjects from every decided case of this workspace."""
    pairs: list[tuple[str, str]] = []
    with users.open_sql(ctx) as engine:
        for status in DECIDED:
            for case in list_cases(engine, status=status):
                details = case_details(engine, case["case_id"]) or {}
                pairs += [(d["alert_id"], d["label"]) for d in details.get("dispositions", [])]
    subjects: dict[str, str] = {}
    for alert_id, _ in pairs:
        found = alert_evidence(store, alert_id)
        if found is not None:
            subjects[alert_id] = str(found["alert"]["account"])
    return labels_from_dispositions(pairs, subjects, known)
