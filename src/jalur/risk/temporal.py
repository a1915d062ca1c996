"""Temporal-structure features: the shapes IBM's Graph Feature Preprocessor counts, in our SQL.

GFP describes each payment by the temporal cycles, scatter-gathers and windowed fans and
degrees around it; these stages count the same shapes per account, written once in DuckDB's
dialect and rendered for Spark like `sql`. They read the stages of `sql` and `neighbourhood`
(`risk_legs`, `risk_own`, `risk_pairs`, `risk_accounts`; accounts are `risk_ids` numbers).

Walks follow payments forward in time: a walk from account s is s's payment to n1, then a
later payment from n1 to n2, and so on, every payment within `$window_days` of the first and
no account twice. Only accounts with at most `$max_fan` distinct counterparties relay (n1, n2,
...), so a hub cannot multiply the walks, and walks stop after `MAX_HOPS` payments: the cost
grows with the payments and the relays' fans, never with a hub's. A walk whose next payment
returns to s is a temporal cycle; two or more walks of two payments from s to the same account
through different relays are a scatter-gather.
"""

from __future__ import annotations

#: Longest cycle counted, in payments (GFP's temporal cycles, 2 to 6 accounts).
MAX_HOPS = 6

#: Accounts that may relay a walk: few enough counterparties that walks through them stay few.
RELAYS = """
SELECT account FROM risk_pairs GROUP BY account HAVING COUNT(*) <= $max_fan
"""

#: Payments between two accounts, one row per distinct (payer, payee, time).
HOPS = """
SELECT account AS src, cp AS dst, ts FROM risk_legs
WHERE is_out = 1 AND cp IS NOT NULL AND cp <> account GROUP BY account, cp, ts
"""

#: Walks of one payment into a relay: (start, time of the first payment, n1, time of the last).
WALK_1 = """
SELECT h.src AS s, h.ts AS t0, h.dst AS n1, h.ts AS t
FROM risk_hops AS h JOIN risk_relays AS r ON r.account = h.dst
"""


def _nodes(k: int, alias: str = "w") -> str:
    return ", ".join(f"{alias}.n{i}" for i in range(1, k + 1))


def walk(k: int) -> str:
    """Walks of k payments from those of k - 1: the earliest later payment onward from the
    last relay, within the window of the first, to an account not yet on the walk."""
    fresh = " ".join(f"AND h.dst <> w.n{i}" for i in range(1, k))
    return f"""
SELECT w.s AS s, w.t0 AS t0, {_nodes(k - 1)}, h.dst AS n{k}, MIN(h.ts) AS t
FROM risk_walk_{k - 1} AS w
JOIN risk_relays AS r ON r.account = w.n{k - 1}
JOIN risk_hops AS h ON h.src = w.n{k - 1}
WHERE h.ts > w.t AND h.ts <= w.t0 + $window_days * 86400 AND h.dst <> w.s {fresh}
GROUP BY w.s, w.t0, {_nodes(k - 1)}, h.dst
"""


def _closed(k: int) -> str:
    """Walks of k payments that a later payment in the window returns to their start."""
    padding = "".join(f", CAST(NULL AS INTEGER) AS n{i}" for i in range(k + 1, MAX_HOPS))
    return f"""
SELECT DISTINCT w.s AS s, {_nodes(k)}{padding}
FROM risk_walk_{k} AS w
JOIN risk_relays AS r ON r.account = w.n{k}
JOIN risk_hops AS h ON h.src = w.n{k} AND h.dst = w.s
WHERE h.ts > w.t AND h.ts <= w.t0 + $window_days * 86400"""


#: Every temporal cycle once per account that opens it, as its accounts in payment order.
CYCLES = "\nUNION ALL\n".join(_closed(k) for k in range(1, MAX_HOPS))

#: Each cycle counted on every account on it.
ON_CYCLES = (
    "SELECT account, COUNT(*) AS temporal_cycles FROM (\n"
    + "\nUNION ALL\n".join(
        ["SELECT s AS account FROM risk_cycles"]
        + [f"SELECT n{i} AS account FROM risk_cycles WHERE n{i} IS NOT NULL" for i in range(1, 6)]
    )
    + "\n) AS m GROUP BY account"
)

#: Source and sink joined by two or more relays; each member (source, relay, sink) counts it.
SCATTER_GATHER = """
WITH sg AS (SELECT s, n2 FROM risk_walk_2 GROUP BY s, n2 HAVING COUNT(DISTINCT n1) >= 2),
relays AS (SELECT DISTINCT w.s, w.n2, w.n1 FROM risk_walk_2 AS w
           JOIN sg ON sg.s = w.s AND sg.n2 = w.n2)
SELECT account, COUNT(*) AS scatter_gather FROM (
  SELECT s AS account FROM sg
  UNION ALL SELECT n2 AS account FROM sg
  UNION ALL SELECT n1 AS account FROM relays
) AS m GROUP BY account
"""

#: Distinct payers and payees in one 30-day period, and payments and fans per day and week.
WINDOWED = """
WITH by_cp AS (
  SELECT account, is_out, day, cp, COUNT(*) AS n FROM risk_legs GROUP BY account, is_out, day, cp
), by_day AS (
  SELECT account, is_out, SUM(n) AS n, COUNT(cp) AS k FROM by_cp GROUP BY account, is_out, day
), by_week AS (
  SELECT account, is_out, SUM(n) AS n FROM by_cp
  GROUP BY account, is_out, CAST(FLOOR((day + 3) / 7) AS BIGINT)
), by_month AS (
  SELECT account, w,
    SUM(CASE WHEN is_out = 0 THEN 1 ELSE 0 END) AS payers,
    SUM(CASE WHEN is_out = 1 THEN 1 ELSE 0 END) AS payees
  FROM (SELECT DISTINCT account, is_out, CAST(FLOOR(day / 30) AS BIGINT) AS w, cp
        FROM by_cp WHERE cp IS NOT NULL) AS d
  GROUP BY account, w
)
SELECT a.account,
  COALESCE(d.degree_in_day_max, 0) AS degree_in_day_max,
  COALESCE(d.degree_out_day_max, 0) AS degree_out_day_max,
  COALESCE(d.fan_in_day_max, 0) AS fan_in_day_max,
  COALESCE(d.fan_out_day_max, 0) AS fan_out_day_max,
  COALESCE(k.degree_in_week_max, 0) AS degree_in_week_max,
  COALESCE(k.degree_out_week_max, 0) AS degree_out_week_max,
  COALESCE(m.gather_scatter, 0) AS gather_scatter
FROM risk_accounts AS a
LEFT JOIN (SELECT account,
    MAX(CASE WHEN is_out = 0 THEN n ELSE 0 END) AS degree_in_day_max,
    MAX(CASE WHEN is_out = 1 THEN n ELSE 0 END) AS degree_out_day_max,
    MAX(CASE WHEN is_out = 0 THEN k ELSE 0 END) AS fan_in_day_max,
    MAX(CASE WHEN is_out = 1 THEN k ELSE 0 END) AS fan_out_day_max
  FROM by_day GROUP BY account) AS d ON d.account = a.account
LEFT JOIN (SELECT account,
    MAX(CASE WHEN is_out = 0 THEN n ELSE 0 END) AS degree_in_week_max,
    MAX(CASE WHEN is_out = 1 THEN n ELSE 0 END) AS degree_out_week_max
  FROM by_week GROUP BY account) AS k ON k.account = a.account
LEFT JOIN (SELECT account, MAX(LEAST(payers, payees)) AS gather_scatter
  FROM by_month GROUP BY account) AS m ON m.account = a.account
"""

#: Log-amount buckets as wide as the relay's band (90–100%), so a match is in the same
#: bucket or the one below: an equality join, not a comparison of every pair of payments.
RELAY_BUCKET = 0.10536051565782628  # -ln(0.9)

#: Payments received that leave again within `$relay_days` to another account, 90–100% of it.
RELAYED = f"""
WITH i AS (
  SELECT account, cp, ts, value, CAST(FLOOR(lv / {RELAY_BUCKET}) AS BIGINT) AS b
  FROM risk_legs WHERE is_out = 0
), o AS (
  SELECT account, cp, ts, value, CAST(FLOOR(lv / {RELAY_BUCKET}) AS BIGINT) AS b
  FROM risk_legs WHERE is_out = 1
), i2 AS (
  SELECT account, cp, ts, value, b FROM i UNION ALL SELECT account, cp, ts, value, b - 1 FROM i
)
SELECT account, COUNT(*) AS relay_count FROM (
  SELECT DISTINCT i2.account, i2.cp, i2.ts, i2.value
  FROM i2 JOIN o ON o.account = i2.account AND o.b = i2.b
  WHERE o.ts > i2.ts AND o.ts <= i2.ts + $relay_days * 86400
    AND o.value >= 0.9 * i2.value AND o.value <= i2.value
    AND (o.cp IS NULL OR i2.cp IS NULL OR o.cp <> i2.cp)
) AS r GROUP BY account
"""

#: Amounts against the account's own median log amount.
OWN_RATIOS = """
SELECT l.account AS account,
  MAX(l.lv) - MAX(o.med) AS amount_own_max_ratio,
  MAX(o.med) - MIN(l.lv) AS amount_own_min_ratio,
  AVG(CASE WHEN ABS(l.lv - o.med) > LN(2) THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)
    AS amount_own_far_share
FROM risk_legs AS l JOIN risk_own AS o ON o.account = l.account GROUP BY l.account
"""

FEATURES = """
SELECT i.account AS account,
  CAST(COALESCE(c.temporal_cycles, 0) AS DOUBLE) AS temporal_cycles,
  CAST(COALESCE(g.scatter_gather, 0) AS DOUBLE) AS scatter_gather,
  CAST(w.gather_scatter AS DOUBLE) AS gather_scatter,
  CAST(w.degree_in_day_max AS DOUBLE) AS degree_in_day_max,
  CAST(w.degree_out_day_max AS DOUBLE) AS degree_out_day_max,
  CAST(w.degree_in_week_max AS DOUBLE) AS degree_in_week_max,
  CAST(w.degree_out_week_max AS DOUBLE) AS degree_out_week_max,
  CAST(w.fan_in_day_max AS DOUBLE) AS fan_in_day_max,
  CAST(w.fan_out_day_max AS DOUBLE) AS fan_out_day_max,
  CAST(COALESCE(r.relay_count, 0) AS DOUBLE) AS relay_count,
  CASE WHEN a.payments_in > 0 THEN CAST(COALESCE(r.relay_count, 0) AS DOUBLE) / a.payments_in
       ELSE CAST(0 AS DOUBLE) END AS relay_share,
  o.amount_own_max_ratio AS amount_own_max_ratio,
  o.amount_own_min_ratio AS amount_own_min_ratio,
  o.amount_own_far_share AS amount_own_far_share
FROM risk_accounts AS a
JOIN risk_ids AS i ON i.id = a.account
JOIN risk_windowed AS w ON w.account = a.account
JOIN risk_own_ratios AS o ON o.account = a.account
LEFT JOIN risk_on_cycles AS c ON c.account = a.account
LEFT JOIN risk_scatter_gather AS g ON g.account = a.account
LEFT JOIN risk_relayed AS r ON r.account = a.account
ORDER BY i.account
"""

#: Stages in the order they are made, after those of `sql` and `neighbourhood`.
STAGES: tuple[tuple[str, str], ...] = (
    ("risk_relays", RELAYS),
    ("risk_hops", HOPS),
    ("risk_walk_1", WALK_1),
    *((f"risk_walk_{k}", walk(k)) for k in range(2, MAX_HOPS)),
    ("risk_cycles", CYCLES),
    ("risk_on_cycles", ON_CYCLES),
    ("risk_scatter_gather", SCATTER_GATHER),
    ("risk_windowed", WINDOWED),
    ("risk_relayed", RELAYED),
    ("risk_own_ratios", OWN_RATIOS),
)
