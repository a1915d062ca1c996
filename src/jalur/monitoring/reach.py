"""Which payments can carry money from (or to) seed accounts within k hops, on the engine.

The flow kernel runs in Python, so it is fed only the payments that matter: those touching an
account that money from a seed can reach, hop by hop and forward in time (or, upstream, the
accounts whose money can reach a seed). This narrowing is plain SQL on either engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from jalur.monitoring.engines.base import Engine

SEEDS = "mon_seed"
REACH = "mon_reach"

#: Earliest/latest possible time, so a seed is reachable "from the start" (epoch seconds).
NEVER = 2**62

_STEP = {
    "down": """
SELECT account, MIN(t) AS t FROM (
  SELECT account, t FROM mon_reach
  UNION ALL
  SELECT e.bene AS account, e.ts AS t FROM mon_edges e JOIN mon_reach r ON e.orig = r.account
  WHERE e.ts >= r.t
) AS grown GROUP BY account
""",
    "up": """
SELECT account, MAX(t) AS t FROM (
  SELECT account, t FROM mon_reach
  UNION ALL
  SELECT e.orig AS account, e.ts AS t FROM mon_edges e JOIN mon_reach r ON e.bene = r.account
  WHERE e.ts <= r.t
) AS grown GROUP BY account
""",
}

_START = {
    "down": "SELECT account, -CAST($never AS BIGINT) AS t FROM mon_seed",
    "up": "SELECT account, CAST($never AS BIGINT) AS t FROM mon_seed",
}

#: Two semi-joins, not one OR of two IN-subqueries (Spark plans that as a nested loop).
_EDGES = """
SELECT tx_id, orig, bene, ts, value FROM mon_edges
WHERE orig IN (SELECT account FROM mon_reach)
UNION
SELECT tx_id, orig, bene, ts, value FROM mon_edges
WHERE bene IN (SELECT account FROM mon_reach)
"""


def reachable_payments(
    engine: Engine, seeds: set[str], hops: int, direction: str = "down"
) -> pa.Table:
    """Payments touching accounts within `hops` time-respecting hops of `seeds`."""
    engine.register(SEEDS, pa.table({"account": pa.array(sorted(seeds), pa.string())}))
    engine.materialize(REACH, _START[direction], {"never": NEVER})
    for _ in range(hops):
        engine.materialize("mon_reach_next", _STEP[direction])
        engine.materialize(REACH, "SELECT account, t FROM mon_reach_next")
    found = engine.query(_EDGES)
    for name in (SEEDS, REACH, "mon_reach_next"):
        engine.drop(name)
    return found.cast(EDGE_SCHEMA)


EDGE_SCHEMA = pa.schema(
    [
        ("tx_id", pa.string()),
        ("orig", pa.string()),
        ("bene", pa.string()),
        ("ts", pa.int64()),
        ("value", pa.float64()),
    ]
)


#: Each direction as a forward-in-time frame: upstream exposure replays payments backwards,
#: so its frame swaps payer and payee and negates time.
_FRAME = {
    "down": "SELECT tx_id, orig, bene, ts, value FROM mon_edges",
    "up": "SELECT tx_id, bene AS orig, orig AS bene, -ts AS ts, value FROM mon_edges",
}

_FRAME_STEP = """
SELECT account, MIN(t) AS t FROM (
  SELECT account, t FROM mon_reach
  UNION ALL
  SELECT f.bene AS account, f.ts AS t FROM mon_flow f JOIN mon_reach r ON f.orig = r.account
  WHERE f.ts >= r.t
) AS grown GROUP BY account
"""

#: Payments the kernel must replay: out of a reached account once traced money may be there
#: (they can carry it), or into one from then on (they dilute its pool). Each side says
#: whether it is live; a side that is not is already counted in that account's opening.
_LIVE = """
SELECT f.tx_id, f.orig, f.bene, f.ts, f.value,
       COALESCE(f.ts >= ro.t, FALSE) AS orig_live, COALESCE(f.ts >= rb.t, FALSE) AS bene_live
FROM mon_flow f
LEFT JOIN mon_reach ro ON f.orig = ro.account
LEFT JOIN mon_reach rb ON f.bene = rb.account
WHERE f.ts >= ro.t OR f.ts >= rb.t
"""

#: What a reached account holds when traced money can first arrive: its balance replayed
#: under the kernel's rule (a payment never takes the pool below zero). That clamped running
#: sum is the plain running sum less its lowest prefix (Lindley's recursion).
_OPENING = """
WITH moves AS (
  SELECT r.account, f.ts, f.tx_id, 0 AS side, -f.value AS delta FROM mon_flow f
  JOIN mon_reach r ON f.orig = r.account WHERE f.ts < r.t
  UNION ALL
  SELECT r.account, f.ts, f.tx_id, 1 AS side, f.value AS delta FROM mon_flow f
  JOIN mon_reach r ON f.bene = r.account WHERE f.ts < r.t
), running AS (
  SELECT account, delta, SUM(delta) OVER (
    PARTITION BY account ORDER BY ts, tx_id, side
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s
  FROM moves
)
SELECT account, SUM(delta) - LEAST(CAST(0 AS DOUBLE), MIN(s)) AS total
FROM running GROUP BY account
"""

_INFLOW = """
SELECT f.bene AS account, SUM(f.value) AS total FROM mon_flow f
WHERE f.bene IN (SELECT account FROM mon_reach) GROUP BY f.bene
"""


@dataclass(frozen=True)
class FlowInput:
    """What the kernel needs for one direction, narrowed on the engine.

    `edges` are in the direction's own frame (upstream: reversed, time negated); `opening`
    is each reached account's pool before its first live payment; `inflow` its total inflow
    over all payments in the frame (the denominator of an exposure share)."""

    edges: pa.Table
    opening: dict[str, float]
    inflow: dict[str, float]


def flow_input(engine: Engine, seeds: set[str], hops: int, direction: str) -> FlowInput:
    """Only the payments that can carry or dilute traced money, plus opening balances.

    Exactly what replaying every payment would give: before an account's earliest possible
    arrival of traced money its pool only holds untraced money, so its balance then (one
    number) stands in for all its earlier payments."""
    engine.materialize("mon_flow", _FRAME[direction])
    engine.register(SEEDS, pa.table({"account": pa.array(sorted(seeds), pa.string())}))
    engine.materialize(REACH, _START["down"], {"never": NEVER})
    for _ in range(hops):
        engine.materialize("mon_reach_next", _FRAME_STEP)
        engine.materialize(REACH, "SELECT account, t FROM mon_reach_next")
    edges = engine.query(_LIVE).cast(LIVE_SCHEMA)
    opening = _as_dict(engine.query(_OPENING))
    inflow = _as_dict(engine.query(_INFLOW))
    for name in (SEEDS, REACH, "mon_reach_next", "mon_flow"):
        engine.drop(name)
    return FlowInput(edges, opening, inflow)


def _as_dict(table: pa.Table) -> dict[str, float]:
    return dict(zip(table["account"].to_pylist(), table["total"].to_pylist(), strict=True))


LIVE_SCHEMA = pa.schema(
    [*EDGE_SCHEMA, pa.field("orig_live", pa.bool_()), pa.field("bene_live", pa.bool_())]
)
