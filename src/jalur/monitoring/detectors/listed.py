"""Listed counterparty: payments with an account that screening matched to a listed party.

Screening decides who is listed (and why: terror, drug, sanction); this typology finds every
account that paid or was paid by such a party. The hits reach the SQL as the `mon_hits`
table (one best hit per account), staged by the monitoring pass.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    money,
    of_full_amount,
    reporting,
    rows,
)
from jalur.monitoring.engines.base import Engine

_SQL = """
WITH touching AS (
  SELECT e.orig AS account, e.bene AS listed, e.tx_id, e.value
  FROM mon_edges e JOIN mon_hits h ON e.bene = h.account
  UNION ALL
  SELECT e.bene AS account, e.orig AS listed, e.tx_id, e.value
  FROM mon_edges e JOIN mon_hits h ON e.orig = h.account
)
SELECT t.account, t.listed, h.risk_class, h.score, h.party_name, h.list_name,
       COUNT(*) AS transactions, SUM(t.value) AS amount, LIST(t.tx_id) AS tx_ids
FROM touching t JOIN mon_hits h ON t.listed = h.account
WHERE h.score >= $min_score
GROUP BY t.account, t.listed, h.risk_class, h.score, h.party_name, h.list_name
"""

_FACTS = ("listed", "risk_class", "score", "party_name", "list_name", "transactions", "amount")


def find(engine: Engine, params: Params) -> list[Finding]:
    return [
        account_finding(
            "listed_counterparty",
            row,
            _FACTS,
            others=[row["listed"]],
            tx_ids=row["tx_ids"],
            key=f"{row['account']}|{row['listed']}",
        )
        for row in rows(engine.query(_SQL, {"min_score": float(params["min_hit_score"])}))
    ]


LISTED_COUNTERPARTY = Typology(
    name="listed_counterparty",
    summary="Payments with an account that screening matched to a listed party.",
    find=find,
    headline=lambda f, p: (
        f"{f.account} transacted with {f.facts['listed']}, matched to "
        f"{f.facts['risk_class']}-listed {f.facts['party_name']!r} ({f.facts['list_name']})"
    ),
    features=(
        Feature(
            "risk",
            lambda f, p: clip(float(p["risk_weight"].get(f["risk_class"], 0.0))),
            lambda f, p: f"the party is {f['risk_class']}-listed",
        ),
        Feature(
            "hit_score",
            lambda f, p: clip(f["score"]),
            lambda f, p: f"screening score {f['score']:.2f}",
        ),
        Feature(
            "amount",
            of_full_amount,
            lambda f, p: f"{f['transactions']} payments, {money(f['amount'], reporting(p))}",
        ),
    ),
)
