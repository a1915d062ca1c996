"""The latest risk score of every account, kept in the workspace for alerts and cases.

`account_risk` is replaced whole by each `jalur model score`: one row per account with its
score, flag, explanation and what scored it (the model's hash, or the scorecard). Monitoring
reads it, when it exists, to order alerts by their subject's risk.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from jalur.store import Store

RISK_TABLE = "account_risk"
DDL = [
    """CREATE TABLE IF NOT EXISTS account_risk (
        account VARCHAR PRIMARY KEY, score DOUBLE NOT NULL, flag BOOLEAN NOT NULL,
        explanation VARCHAR NOT NULL, scorer VARCHAR NOT NULL, scored_at TIMESTAMPTZ NOT NULL)""",
]


def save_scores(store: Store, scores: pa.Table, scorer: str) -> int:
    """Replace the stored scores with `scores` (account, score, flag, explanation)."""
    store.ensure("risk", DDL)
    now = datetime.now(UTC)
    with store.transaction() as con:
        con.register("new_risk", scores)
        con.execute("DELETE FROM account_risk")
        con.execute(
            "INSERT INTO account_risk SELECT account, score, flag, explanation, ?, ? FROM new_risk",
            [scorer, now],
        )
        con.unregister("new_risk")
    return int(scores.num_rows)
