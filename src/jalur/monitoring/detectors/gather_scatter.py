"""Gather-scatter: one account collects from many payers, then pays out to many payees.

The collecting account sits in the middle of a layering scheme: money from many sources is
pooled and redistributed within one window, first payment in before the last payment out.
"""

from __future__ import annotations

from jalur.monitoring.detectors.base import (
    Facts,
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    money,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.windows import BUCKET, GRIDS, window_params
from jalur.monitoring.engines.base import Engine

_SQL = f"""
WITH windowed AS (
  SELECT e.*, g.grid, {BUCKET} AS bucket FROM mon_edges e CROSS JOIN {GRIDS} g
), ins AS (
  SELECT bene AS account, grid, bucket, COUNT(DISTINCT orig) AS payers, MIN(ts) AS first_in,
         SUM(value) AS total_in
  FROM windowed GROUP BY bene, grid, bucket
  HAVING COUNT(DISTINCT orig) BETWEEN $min_payers AND $max_n
), outs AS (
  SELECT orig AS account, grid, bucket, COUNT(DISTINCT bene) AS payees, MAX(ts) AS last_out,
         SUM(value) AS total_out
  FROM windowed GROUP BY orig, grid, bucket
  HAVING COUNT(DISTINCT bene) BETWEEN $min_payees AND $max_n
), hubs AS (
  SELECT i.account, i.grid, i.bucket, i.payers, o.payees, i.total_in, o.total_out
  FROM ins i JOIN outs o ON i.account = o.account AND i.grid = o.grid AND i.bucket = o.bucket
  WHERE i.first_in < o.last_out
), legs AS (
  SELECT h.account, w.orig, w.bene, w.tx_id FROM hubs h JOIN windowed w
    ON w.bene = h.account AND w.grid = h.grid AND w.bucket = h.bucket
  UNION ALL
  SELECT h.account, w.orig, w.bene, w.tx_id FROM hubs h JOIN windowed w
    ON w.orig = h.account AND w.grid = h.grid AND w.bucket = h.bucket
), members AS (
  SELECT account, LIST(orig) AS origs, LIST(bene) AS benes, LIST(tx_id) AS txs
  FROM legs GROUP BY account
)
SELECT h.account, MAX(h.payers) AS payers, MAX(h.payees) AS payees,
       MAX(LEAST(h.total_in, h.total_out) / GREATEST(h.total_in, h.total_out)) AS balance,
       MAX(h.total_in) AS total_in, ANY_VALUE(m.origs) AS origs, ANY_VALUE(m.benes) AS benes,
       ANY_VALUE(m.txs) AS tx_ids
FROM hubs h JOIN members m ON m.account = h.account
GROUP BY h.account
HAVING COUNT(*) <= $max_windows
"""


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        **window_params(params),
        "min_payers": int(params["min_payers"]),
        "min_payees": int(params["min_payees"]),
        "max_n": int(params["max_counterparties"]),
        "max_windows": int(params["max_windows"]),
    }
    return [
        Finding(
            typology="gather_scatter",
            key=row["account"],
            account=row["account"],
            accounts=sorted_ids([*row["origs"], *row["benes"]]),
            tx_ids=sorted_ids(row["tx_ids"]),
            facts={k: row[k] for k in ("payers", "payees", "balance", "total_in")},
        )
        for row in rows(engine.query(_SQL, bind))
    ]


def _share(key: str, floor: str) -> Feature:
    def value(facts: Facts, params: Params) -> float:
        return clip(facts[key] / (2.0 * float(params[floor])))

    return Feature(
        key, value, lambda f, p: f"{f[key]} distinct {key} within {p['window_days']} days"
    )


GATHER_SCATTER = Typology(
    name="gather_scatter",
    summary="One account collecting from many payers and paying many payees in one window.",
    find=find,
    headline=lambda f: (
        f"{f.account} gathered from {f.facts['payers']} payers and paid {f.facts['payees']} "
        f"payees ({money(f.facts['total_in'])} in)"
    ),
    features=(
        _share("payers", "min_payers"),
        _share("payees", "min_payees"),
        Feature(
            "balance",
            lambda f, p: clip(f["balance"]),
            lambda f, p: f"paid out {f['balance']:.0%} of what came in (or the reverse)",
        ),
    ),
)
