"""Structuring (smurfing): repeated amounts just under a reporting threshold within a window.

Splitting a sum into pieces each just below the threshold (IDR 500 million cash in Indonesia,
10,000 in USD/EUR/GBP cash) avoids the threshold report; several such pieces on one account in
a short window are the red flag. Thresholds are data (per currency and channel) in the
parameters file and reach the SQL as a table, never pasted into it. Each payment counts once
for each known account on it, in its own currency (the counterparty may be unknown: cash); the
payments near a threshold are picked from `transactions` first, so only they are expanded.
"""

from __future__ import annotations

import pyarrow as pa

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    account_finding,
    clip,
    money,
    rows,
    twice_minimum,
)
from jalur.monitoring.detectors.windows import (
    BUCKET,
    GRIDS,
    burst_key,
    numbered_bursts,
    window_params,
)
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import threshold_of

THRESHOLDS = "mon_thresholds"

_SQL = f"""
WITH near_tx AS (
  SELECT x.tx_id, x.orig_account, x.bene_account, epoch_seconds(x."timestamp") AS ts,
         x.amount, t.currency, t.threshold
  FROM transactions x JOIN mon_thresholds t
    ON UPPER(x.currency) = t.currency
   AND (t.channel = '*' OR LOWER(COALESCE(x.channel, '')) = t.channel)
  WHERE x.amount < t.threshold AND x.amount >= t.threshold * (1 - $margin)
), near AS (
  SELECT orig_account AS account, tx_id, ts, amount, currency, threshold
  FROM near_tx WHERE orig_account IS NOT NULL
  UNION ALL
  SELECT bene_account AS account, tx_id, ts, amount, currency, threshold FROM near_tx
  WHERE bene_account IS NOT NULL AND bene_account <> COALESCE(orig_account, '')
), windowed AS (
  SELECT n.*, g.grid, {BUCKET} AS bucket FROM near n CROSS JOIN {GRIDS} g
), bursts AS (
  SELECT account, currency, threshold, grid, bucket, COUNT(*) AS pieces, SUM(amount) AS total,
         AVG(amount / threshold) AS closeness, LIST(tx_id) AS txs
  FROM windowed GROUP BY account, currency, threshold, grid, bucket
  HAVING COUNT(*) >= $min_transactions
), busy AS (
  {numbered_bursts("bursts", "account, currency, threshold")}
)
SELECT account, currency, threshold, MIN(start) AS start, MAX(pieces) AS pieces,
       MAX(total) AS total, MAX(closeness) AS closeness, FLATTEN(LIST(txs)) AS tx_ids
FROM busy GROUP BY account, currency, threshold, burst
"""


def thresholds_table(params: Params) -> pa.Table:
    """The reporting thresholds as a table the SQL joins to."""
    items = [threshold_of(t) for t in params["thresholds"]]
    return pa.table(
        {
            "currency": pa.array([t[0] for t in items], pa.string()),
            "channel": pa.array([t[1] for t in items], pa.string()),
            "threshold": pa.array([t[2] for t in items], pa.float64()),
        }
    )


def find(engine: Engine, params: Params) -> list[Finding]:
    engine.register(THRESHOLDS, thresholds_table(params))
    bind = {
        **window_params(params),
        "margin": float(params["margin"]),
        "min_transactions": int(params["min_transactions"]),
    }
    found = [
        account_finding(
            "structuring",
            row,
            ("currency", "threshold", "pieces", "total", "closeness"),
            tx_ids=row["tx_ids"],
            key=burst_key(
                f"{row['account']}|{row['currency']}|{row['threshold']:.0f}",
                row["start"],
                bind["half"],
            ),
        )
        for row in rows(engine.query(_SQL, bind))
    ]
    engine.drop(THRESHOLDS)
    return found


STRUCTURING = Typology(
    name="structuring",
    summary="Repeated amounts just under a per-currency reporting threshold within a window.",
    find=find,
    headline=lambda f, p: (
        f"{f.account}: {f.facts['pieces']} payments just under the "
        f"{money(f.facts['threshold'], f.facts['currency'])} reporting threshold"
    ),
    features=(
        Feature(
            "pieces",
            twice_minimum("pieces", "min_transactions"),
            lambda f, p: f"{f['pieces']} pieces within {p['window_days']} days",
        ),
        Feature(
            "total_over_threshold",
            lambda f, p: clip(f["total"] / f["threshold"] / 2.0),
            lambda f, p: (
                f"together {money(f['total'], f['currency'])}, "
                f"{f['total'] / f['threshold']:.1f}× the threshold"
            ),
        ),
        Feature(
            "closeness",
            lambda f, p: clip((f["closeness"] - (1 - float(p["margin"]))) / float(p["margin"])),
            lambda f, p: f"on average {f['closeness']:.1%} of the threshold",
        ),
    ),
)
