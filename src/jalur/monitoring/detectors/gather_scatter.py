"""Gather-scatter: one account collects from several payers, then pays out to several payees.

The collecting account sits in the middle of a layering scheme: money from many sources is
pooled and redistributed within one window, the payments in on average before the payments out
(gathered, then scattered): at least `min_payers` and `min_payees`. IBM AMLworld plants a fan-in
of any degree followed by a fan-out of any degree (10 payers and 3 payees, or 2 and 15), so a
hub with fewer on one side (at least `burst_min_side` on each, `burst_min_counterparties` in
all) alerts when the window holds `min_share` of all the account's payments: a burst for a
quiet account, as for fans (a busy company pools and pays out a few parties every week). As for
fans, an account that does this in more than `max_windows` windows is doing its everyday
business.
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
    reporting,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.windows import (
    burst_key,
    numbered_bursts,
    stage_legs,
    stage_windows,
    totals,
    window_params,
)
from jalur.monitoring.engines.base import Engine

INS, OUTS, HUBS = "mon_gs_in", "mon_gs_out", "mon_gs_hubs"

#: Windows busy enough on both sides.
_HUBS = """
SELECT i.account, i.grid, i.bucket FROM mon_gs_in_windows i
JOIN mon_gs_out_windows o ON i.account = o.account AND i.grid = o.grid AND i.bucket = o.bucket
"""

_SQL = """
WITH ins AS (
  SELECT account, grid, bucket, COUNT(DISTINCT counterparty) AS payers,
         MIN(ts) AS first_in, AVG(ts) AS mid_in, COUNT(*) AS payments, SUM(value) AS total_in
  FROM mon_gs_in GROUP BY account, grid, bucket
  HAVING COUNT(DISTINCT counterparty) BETWEEN $min_side AND $max_n
), outs AS (
  SELECT account, grid, bucket, COUNT(DISTINCT counterparty) AS payees,
         MAX(ts) AS last_out, AVG(ts) AS mid_out, COUNT(*) AS payments, SUM(value) AS total_out
  FROM mon_gs_out GROUP BY account, grid, bucket
  HAVING COUNT(DISTINCT counterparty) BETWEEN $min_side AND $max_n
), hubs AS (
  SELECT i.account, i.grid, i.bucket, i.payers, o.payees, i.total_in, o.total_out
  FROM ins i JOIN outs o ON i.account = o.account AND i.grid = o.grid AND i.bucket = o.bucket
  JOIN {totals_in} ti ON ti.account = i.account JOIN {totals_out} tu ON tu.account = i.account
  WHERE i.first_in < o.last_out AND i.mid_in < o.mid_out
    AND (i.payers >= $min_payers AND o.payees >= $min_payees
         OR i.payers + o.payees >= $burst_n
            AND i.payments + o.payments >= $min_share * (ti.payments + tu.payments))
), chosen AS (
  SELECT account FROM hubs GROUP BY account HAVING COUNT(*) <= $max_windows
), busy AS (
  {numbered}
), bursts AS (
  SELECT account, burst, MIN(start) AS start, MAX(payers) AS payers, MAX(payees) AS payees,
         MAX(LEAST(total_in, total_out) / GREATEST(total_in, total_out)) AS balance,
         MAX(total_in) AS total_in
  FROM busy GROUP BY account, burst
), legs AS (
  SELECT l.account, h.burst, l.counterparty AS orig, l.account AS bene, l.tx_id
  FROM mon_gs_in l JOIN busy h ON l.account = h.account AND l.grid = h.grid AND l.bucket = h.bucket
  UNION ALL
  SELECT l.account, h.burst, l.account AS orig, l.counterparty AS bene, l.tx_id
  FROM mon_gs_out l JOIN busy h ON l.account = h.account AND l.grid = h.grid AND l.bucket = h.bucket
), members AS (
  SELECT account, burst, LIST(orig) AS origs, LIST(bene) AS benes, LIST(tx_id) AS txs
  FROM legs GROUP BY account, burst
)
SELECT c.account, c.start, c.payers, c.payees, c.balance, c.total_in, m.origs, m.benes,
       m.txs AS tx_ids
FROM bursts c JOIN members m ON m.account = c.account AND m.burst = c.burst
"""


def _sql(bind: Params) -> str:
    """The search, reading the totals that `stage_windows` made for this window length."""
    return (
        _SQL.replace("{totals_in}", totals("bene", bind))
        .replace("{totals_out}", totals("orig", bind))
        .replace("{numbered}", _BUSY)
    )


#: The busy windows of the hubs kept, numbered into bursts: each burst is one finding.
_BUSY = numbered_bursts(
    "(SELECT * FROM hubs WHERE account IN (SELECT account FROM chosen))", "account"
)


def find(engine: Engine, params: Params) -> list[Finding]:
    bind = {
        **window_params(params),
        "min_payers": int(params["min_payers"]),
        "min_payees": int(params["min_payees"]),
        "max_n": int(params["max_counterparties"]),
        "min_side": min(
            int(params["min_payers"]), int(params["min_payees"]), int(params["burst_min_side"])
        ),
        "burst_n": int(params["burst_min_counterparties"]),
        "min_share": float(params["min_share"]),
        "max_windows": int(params["max_windows"]),
    }
    stage_windows(engine, f"{OUTS}_windows", "orig", bind, bind["min_side"], bind["max_n"])
    stage_windows(
        engine,
        f"{INS}_windows",
        "bene",
        bind,
        bind["min_side"],
        bind["max_n"],
        within=f"{OUTS}_windows",
    )
    engine.materialize(HUBS, _HUBS)
    stage_legs(engine, INS, "bene", HUBS, bind)
    stage_legs(engine, OUTS, "orig", HUBS, bind)
    found = [
        Finding(
            typology="gather_scatter",
            key=burst_key(row["account"], row["start"], bind["half"]),
            account=row["account"],
            accounts=sorted_ids([*row["origs"], *row["benes"]]),
            tx_ids=sorted_ids(row["tx_ids"]),
            facts={k: row[k] for k in ("payers", "payees", "balance", "total_in")},
        )
        for row in rows(engine.query(_sql(bind), bind))
    ]
    for name in (INS, OUTS, HUBS, f"{INS}_windows", f"{OUTS}_windows"):
        engine.drop(name)
    return found


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
    headline=lambda f, p: (
        f"{f.account} gathered from {f.facts['payers']} payers and paid {f.facts['payees']} "
        f"payees ({money(f.facts['total_in'], reporting(p))} in)"
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
