"""Amount anomalies: payments far from what an account (or everyone) usually moves, the same
amount repeated across counterparties, round amounts and amounts just under a reporting
threshold in their own currency.

Amounts are judged on their logarithm with robust statistics (median and median absolute
deviation, MAD), so one huge payment cannot hide itself by inflating the spread it is measured
against, and a 10 % difference means the same for small and large accounts. A payment is an
outlier for its payer (payee) when it lies more than `max_z` robust deviations from the median
of the payer's outgoing (payee's incoming) payments, given at least `min_history` of them; a
*peer* outlier when it lies more than `max_peer_z` from the median of all payments. The MAD is
floored at `min_mad` (log units), so an account that always pays the same amount is not
flagged for a cent's difference.

Structuring's thresholds are one case here: any payment within `margin` below a threshold of
its currency counts, whatever its channel, when there are at least `min_near` of them and they
are `near_share` of the account's payments (a business paying large sums every day lands just
under a threshold by chance). One signal is ordinary; an account is alerted when
`min_signals` different kinds of anomaly meet on it: far amounts (own or peer), one amount
with several counterparties, near a threshold, round. A payment just under a threshold is
not also counted as an outlier: for a small account it is bound to be one, and one payment is
one piece of evidence.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Facts,
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    rows,
    twice_minimum,
)
from jalur.monitoring.detectors.structuring import THRESHOLDS, thresholds_table
from jalur.monitoring.engines.base import Engine

SIDES = "mon_amount_sides"

#: Every payment once per known account on it, with its log amount and the facts judged on it.
#: `account_id` is the account's number (`mon_ids`, made by staging): the groupings nearly
#: one per payment (account, side, amount, currency) hash it instead of the account's text.
_SIDES_SQL = """
WITH tx AS (
  SELECT tx_id, orig_account AS orig, bene_account AS bene, amount,
         UPPER(currency) AS currency, COALESCE(amount_reporting, amount) AS value
  FROM transactions WHERE COALESCE(amount_reporting, amount) > 0 AND amount > 0
), sides AS (
  SELECT i.id AS account_id, x.orig AS account, 0 AS side, x.bene AS counterparty, x.tx_id,
         x.amount, x.currency, x.value
  FROM tx x JOIN mon_ids i ON i.account = x.orig
  UNION ALL
  SELECT i.id AS account_id, x.bene AS account, 1 AS side, x.orig AS counterparty, x.tx_id,
         x.amount, x.currency, x.value
  FROM tx x JOIN mon_ids i ON i.account = x.bene WHERE x.bene <> COALESCE(x.orig, '')
), near_tx AS (
  SELECT DISTINCT x.tx_id FROM tx x JOIN mon_thresholds t ON t.currency = x.currency
  WHERE x.amount < t.threshold AND x.amount >= t.threshold * (1 - $margin)
)
SELECT s.*, LN(s.value) AS lv,
       s.value >= $round_min AND ABS(s.amount / POWER(10, FLOOR(LOG10(s.amount)) - 1)
         - ROUND(s.amount / POWER(10, FLOOR(LOG10(s.amount)) - 1))) < 0.000001 AS is_round,
       n.tx_id IS NOT NULL AS near
FROM sides s LEFT JOIN near_tx n ON n.tx_id = s.tx_id
"""

#: The cheap signals first (peer outliers, repeated amounts, near a threshold, round), on
#: simple aggregates; the account's own median and MAD (holistic aggregates, the costly part)
#: only for the accounts whose other kinds could still reach `min_signals` with a far amount:
#: an own outlier adds at most one kind, so no other account can be alerted.
_SQL = """
WITH peer AS (
  SELECT MEDIAN(lv) AS med FROM mon_amount_sides WHERE side = 0
), peer_mad AS (
  SELECT MAX(p.med) AS med, GREATEST(MEDIAN(ABS(s.lv - p.med)), $min_mad) AS mad
  FROM mon_amount_sides s CROSS JOIN peer p WHERE s.side = 0
), cheap_side AS (
  SELECT s.account_id, COUNT(*) AS payments,
         MAX(ABS(s.lv - p.med)) FILTER (WHERE NOT s.near) AS peer_dev,
         MAX(p.mad) AS peer_mad,
         COUNT(*) FILTER (WHERE s.is_round) AS round,
         COUNT(*) FILTER (WHERE s.near) AS near
  FROM mon_amount_sides s CROSS JOIN peer_mad p
  GROUP BY s.account_id, s.side
), cheap AS (
  SELECT i.account, c.* FROM (
    SELECT account_id, CAST(SUM(payments) AS BIGINT) AS payments,
           COALESCE(MAX(peer_dev / (1.4826 * peer_mad)), 0) AS max_peer_z,
           CAST(SUM(round) AS BIGINT) AS round, CAST(SUM(near) AS BIGINT) AS near
    FROM cheap_side GROUP BY account_id
  ) c JOIN mon_ids i ON i.id = c.account_id
), candidates AS (
  SELECT account_id, side, amount, currency FROM mon_amount_sides
  WHERE counterparty IS NOT NULL
  GROUP BY account_id, side, amount, currency HAVING COUNT(*) >= $min_repeat
), repeats AS (
  SELECT s.account, s.amount, s.currency, COUNT(DISTINCT s.counterparty) AS n,
         LIST(s.tx_id) AS txs
  FROM mon_amount_sides s
  JOIN candidates c ON c.account_id = s.account_id AND c.side = s.side
   AND c.amount = s.amount AND c.currency = s.currency
  GROUP BY s.account, s.side, s.amount, s.currency
  HAVING COUNT(DISTINCT s.counterparty) >= $min_repeat
), repeated AS (
  SELECT account, MAX(n) AS repeated, FLATTEN(LIST(txs)) AS txs FROM repeats GROUP BY account
), others AS (
  SELECT a.account, a.account_id, a.payments, a.max_peer_z, a.round, a.near,
         COALESCE(r.repeated, 0) AS repeated, r.txs AS repeat_txs,
         CAST(COALESCE(r.repeated, 0) > 0 AS INT)
         + CAST(a.near >= $min_near AND a.near >= $near_share * a.payments AS INT)
         + CAST(a.round >= $min_round AND a.round >= $round_share * a.payments AS INT)
           AS other_signals
  FROM cheap a LEFT JOIN repeated r ON r.account = a.account
), pruned AS (
  SELECT * FROM others WHERE other_signals + 1 >= $min_signals
), mine AS (
  SELECT s.* FROM mon_amount_sides s SEMI JOIN pruned c ON c.account_id = s.account_id
), own AS (
  SELECT account, side, MEDIAN(lv) AS med
  FROM mine GROUP BY account, side HAVING COUNT(*) >= $min_history
), per_side AS (
  SELECT s.account, s.side,
         GREATEST(MEDIAN(ABS(s.lv - o.med)), $min_mad) AS mad,
         MAX(ABS(s.lv - o.med)) FILTER (WHERE NOT s.near) AS dev,
         MAX(p.med) AS peer_med, MAX(p.mad) AS peer_mad
  FROM mine s
  LEFT JOIN own o ON o.account = s.account AND o.side = s.side
  CROSS JOIN peer_mad p
  GROUP BY s.account, s.side
), own_z AS (
  SELECT account, COALESCE(MAX(dev / (1.4826 * mad)), 0) AS max_z FROM per_side GROUP BY account
), scored AS (
  SELECT c.account, c.payments, z.max_z, c.max_peer_z, c.round, c.near, c.repeated,
         c.repeat_txs,
         CAST(z.max_z > $max_z OR c.max_peer_z > $max_peer_z AS INT) + c.other_signals
           AS signals
  FROM pruned c JOIN own_z z ON z.account = c.account
), alerted AS (
  SELECT * FROM scored WHERE signals >= $min_signals
), evidence AS (
  SELECT s.account, LIST(s.tx_id) AS txs
  FROM mine s JOIN alerted a ON a.account = s.account
  LEFT JOIN own o ON o.account = s.account AND o.side = s.side
  JOIN per_side m ON m.account = s.account AND m.side = s.side
  WHERE s.near OR ABS(s.lv - o.med) > $max_z * 1.4826 * m.mad
     OR ABS(s.lv - m.peer_med) > $max_peer_z * 1.4826 * m.peer_mad
  GROUP BY s.account
)
SELECT a.*, e.txs FROM alerted a LEFT JOIN evidence e ON e.account = a.account
"""


_FACTS = (
    "payments",
    "round",
    "near",
    "max_z",
    "max_peer_z",
    "repeated",
    "signals",
)


def find(engine: Engine, params: Params) -> list[Finding]:
    engine.register(THRESHOLDS, thresholds_table(params))
    bind = {
        "round_min": float(params["round_min"]),
        "margin": float(params["margin"]),
        "min_history": int(params["min_history"]),
        "min_mad": float(params["min_mad"]),
        "max_z": float(params["max_z"]),
        "max_peer_z": float(params["max_peer_z"]),
        "min_repeat": int(params["min_repeat_counterparties"]),
        "min_near": int(params["min_near"]),
        "near_share": float(params["near_share"]),
        "min_round": int(params["min_round"]),
        "round_share": float(params["round_share"]),
        "min_signals": int(params["min_signals"]),
    }
    engine.materialize(SIDES, _SIDES_SQL, bind)
    found = [
        account_finding(
            "amount_anomaly",
            row,
            _FACTS,
            tx_ids=[*(row["txs"] or ()), *(row["repeat_txs"] or ())],
        )
        for row in rows(engine.query(_SQL, bind))
    ]
    engine.drop(SIDES)
    engine.drop(THRESHOLDS)
    return found


def _far(f: Facts, p: Params) -> float:
    """0 within the limits; 0.5 just beyond; 1 at three times the limit (own or peer)."""
    beyond = max(
        float(f["max_z"]) / float(p["max_z"]), float(f["max_peer_z"]) / float(p["max_peer_z"])
    )
    return clip(0.5 + (beyond - 1.0) / 4.0) if beyond > 1.0 else 0.0


def _describe_outliers(f: Facts, p: Params) -> str:
    if f["max_z"] <= float(p["max_z"]) and f["max_peer_z"] <= float(p["max_peer_z"]):
        return "no payment far from the usual amounts"
    return (
        f"a payment {f['max_z']:.1f} robust deviations from the account's usual amounts, "
        f"{f['max_peer_z']:.1f} from everyone's (limits {p['max_z']}, {p['max_peer_z']})"
    )


AMOUNT_ANOMALY = Typology(
    name="amount_anomaly",
    summary="Amounts far from the account's or everyone's usual range, repeated, round or "
    "just under a reporting threshold.",
    find=find,
    headline=lambda f, p: f"{f.account}: {f.facts['signals']} kinds of unusual amounts",
    features=(
        Feature(
            "outliers",
            _far,
            _describe_outliers,
        ),
        Feature(
            "repeated",
            twice_minimum("repeated", "min_repeat_counterparties"),
            lambda f, p: f"one amount with {f['repeated']} different counterparties",
        ),
        Feature(
            "near_threshold",
            twice_minimum("near", "min_near"),
            lambda f, p: f"{f['near']} payment(s) just under a reporting threshold",
        ),
        Feature(
            "round",
            lambda f, p: clip(f["round"] / max(1.0, float(f["payments"]))),
            lambda f, p: f"{f['round']} of {f['payments']} payments in round amounts",
        ),
    ),
)
