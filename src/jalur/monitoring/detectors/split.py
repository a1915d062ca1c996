"""Split payments: one sum cut into several payments on one day, between the same two accounts
or from one account to several.

AMLSim pays its laundering amounts as several identical payments between the same pair on the
same step; a payer splitting a sum to stay under limits does it within a day. The payer is the
subject; the payees are context. A day counts when the same pair has at least
`min_pair_payments` payments, or the payer at least `min_day_payments` of similar amounts
(variation at most `max_cv`); a payer with such days on more than `max_days` days of the data
splits as a matter of business (payroll runs, merchants' refunds) and is left out.
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
    reporting,
    rows,
    twice_minimum,
)
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

#: Accounts are grouped by their numbers (`orig_id`, `bene_id`: a group per pair and day is
#: nearly one per payment, and integers hash faster than text); names come back at the end.
_SQL = """
WITH daily AS (
  SELECT orig_id, bene_id, bene, CAST(FLOOR(ts / $day) AS BIGINT) AS d, tx_id, value
  FROM mon_edges
), pairs AS (
  SELECT orig_id, bene_id, d, COUNT(*) AS pieces, SUM(value) AS total
  FROM daily GROUP BY orig_id, bene_id, d HAVING COUNT(*) >= $min_pair
), payer_days AS (
  SELECT orig_id, d, COUNT(*) AS pieces, SUM(value) AS total
  FROM daily GROUP BY orig_id, d
  HAVING COUNT(*) >= $min_day
     AND STDDEV_POP(value) / NULLIF(AVG(value), 0) <= $max_cv
), days AS (
  SELECT orig_id, bene_id, d, pieces, total, 1 AS same_pair FROM pairs
  UNION ALL
  SELECT orig_id, NULL AS bene_id, d, pieces, total, 0 AS same_pair FROM payer_days
), payers AS (
  SELECT i.account, p.* FROM (
    SELECT orig_id, MAX(pieces) AS pieces, MAX(total) AS total,
           COUNT(DISTINCT d) AS days, MAX(same_pair) AS same_pair
    FROM days GROUP BY orig_id HAVING COUNT(DISTINCT d) <= $max_days
  ) p JOIN mon_ids i ON i.id = p.orig_id
), pieces AS (
  SELECT DISTINCT x.orig_id, x.bene, x.tx_id
  FROM daily x JOIN days s ON s.orig_id = x.orig_id AND s.d = x.d
   AND (s.bene_id IS NULL OR s.bene_id = x.bene_id)
  JOIN payers p ON p.orig_id = x.orig_id
)
SELECT p.account, p.pieces, p.total, p.days, p.same_pair,
       LIST(x.tx_id) AS tx_ids, LIST(x.bene) AS payees
FROM payers p JOIN pieces x ON x.orig_id = p.orig_id
GROUP BY p.account, p.pieces, p.total, p.days, p.same_pair
"""


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        "day": DAY,
        "min_pair": int(params["min_pair_payments"]),
        "min_day": int(params["min_day_payments"]),
        "max_cv": float(params["max_cv"]),
        "max_days": int(params["max_days"]),
    }
    return [
        account_finding(
            "split_payments",
            row,
            ("pieces", "total", "days", "same_pair"),
            others=row["payees"],
            tx_ids=row["tx_ids"],
        )
        for row in rows(engine.query(_SQL, bind))
    ]


SPLIT_PAYMENTS = Typology(
    name="split_payments",
    summary="Several payments on one day between the same two accounts, or from one account.",
    find=find,
    headline=lambda f, p: (
        f"{f.account} paid {money(f.facts['total'], reporting(p))} "
        f"in {f.facts['pieces']} pieces on one day"
        + (" to the same payee" if f.facts["same_pair"] else "")
    ),
    features=(
        Feature(
            "pieces",
            twice_minimum("pieces", "min_pair_payments"),
            lambda f, p: f"up to {f['pieces']} payments in one day",
        ),
        Feature(
            "same_payee",
            lambda f, p: float(f["same_pair"]),
            lambda f, p: "to the same payee" if f["same_pair"] else "to several payees",
        ),
        Feature(
            "rare",
            lambda f, p: clip(1.0 - (f["days"] - 1) / float(p["max_days"])),
            lambda f, p: f"on {f['days']} day(s) of the data",
        ),
    ),
)
