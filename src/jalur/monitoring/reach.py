"""Which payments can carry money from (or to) seed accounts within k hops, on the engine.

Channel tracing runs the generic flow kernel in Python, so it is fed only the payments that
matter: those touching an account that money from a source can reach, hop by hop and forward
in time (or, upstream, the accounts whose money can reach a sink). Plain SQL on either engine.
"""

from __future__ import annotations

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

#: Whether a step changed the reach: a new account, or an earlier (later, upstream) time for
#: one (each account is one row in both tables, so no such row means they are equal).
_GROWN = """
SELECT 1 AS grown FROM (SELECT account, t FROM mon_reach_next
                        EXCEPT SELECT account, t FROM mon_reach) AS changed LIMIT 1
"""

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
        if not engine.query(_GROWN).num_rows:
            break  # a fixed point: further hops reach nothing new (--hops 1e9 ran 1e9 steps)
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
