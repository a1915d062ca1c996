"""Hopping windows shared by the count-in-a-window typologies, and how to find the busy ones
without grouping every payment twice.

Each payment falls in two windows of `window` seconds, one grid offset by half a window from
the other, so any burst no longer than half a window lies wholly inside one of them. Exact
sliding windows would need per-engine window functions; hopping windows are plain GROUP BYs.

A window is made of two half-windows (`half` seconds each): grid 0's window `b` is halves
2b and 2b+1, grid 1's window `b` is halves 2b-1 and 2b. Counting distinct counterparties per
account and half once (one GROUP BY over the payments, no copy per grid) bounds every window:
it can have no more than the sum of its halves and no fewer than the larger half. Only windows
whose bounds allow a burst are expanded back to their payments (`legs`), so the exact, costly
aggregates run over a small share of the payments.

Halves and windows name accounts by their number (`mon_ids`: `orig_id`, `bene_id` of
`mon_edges`): their groups are nearly one per payment, and integers hash several times faster
than text. The legs and the totals name accounts as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

#: SQL fragment: the two grids (joined to every row) and the window a row lands in.
GRIDS = "(SELECT 0 AS grid UNION ALL SELECT 1 AS grid)"
HALF = "CAST(FLOOR(ts / $half) AS BIGINT)"
BUCKET = f"CAST(FLOOR(({HALF} + g.grid) / 2) AS BIGINT)"

#: Shared stages are named with this prefix; `staging.unstage` drops them after the pass.
SHARED = "mon_shared_"

#: Distinct counterparties and payments per account and half-window (`{side}`: the account's
#: column), counted as the pairs' groups: two plain GROUP BYs run faster than a COUNT(DISTINCT).
_HALVES = """
SELECT account, h, COUNT(*) AS n, CAST(SUM(payments) AS BIGINT) AS payments
FROM (SELECT {side}_id AS account, {half} AS h, COUNT(*) AS payments
      FROM mon_edges GROUP BY {side}_id, {half}, {other}_id) pairs
GROUP BY account, h
"""

#: All payments of each account on that side, over the whole data (a burst's baseline); `id`
#: is the account's number.
_TOTALS = """
SELECT i.account, t.id, t.payments
FROM (SELECT account AS id, SUM(payments) AS payments FROM {halves} GROUP BY account) t
JOIN mon_ids i ON i.id = t.id
"""

#: Windows that may hold between $min_n and $max_n distinct counterparties and at least
#: $min_share of the account's payments on that side.
_WINDOWS = """
SELECT h.account, g.grid, CAST(FLOOR((h.h + g.grid) / 2) AS BIGINT) AS bucket
FROM {halves} h CROSS JOIN {grids} g JOIN {totals} t ON t.id = h.account{within}
GROUP BY h.account, g.grid, CAST(FLOOR((h.h + g.grid) / 2) AS BIGINT)
HAVING SUM(h.n) >= $min_n AND MAX(h.n) <= $max_n
   AND SUM(h.payments) >= $min_share * MAX(t.payments)
"""

#: The same without the share (most callers): no join to the totals.
_ANY_SHARE = """
SELECT account, g.grid, CAST(FLOOR((h + g.grid) / 2) AS BIGINT) AS bucket
FROM {halves} h CROSS JOIN {grids} g{within}
GROUP BY account, g.grid, CAST(FLOOR((h + g.grid) / 2) AS BIGINT)
HAVING SUM(n) >= $min_n AND MAX(n) <= $max_n
"""

#: The payments of those windows, one row per payment and window (one equi-join per grid).
_LEGS = """
SELECT e.{side} AS account, w.grid, w.bucket, e.{other} AS counterparty, e.ts, e.value, e.tx_id
FROM mon_edges e JOIN {windows} w
  ON e.{side}_id = w.account AND w.grid = {grid}
 AND w.bucket = CAST(FLOOR(({half} + {grid}) / 2) AS BIGINT)
"""

_OTHER = {"orig": "bene", "bene": "orig"}


def window_params(params: Mapping[str, Any]) -> dict[str, int]:
    """`window` and `half` in seconds from a typology's `window_days` (a window is two
    halves, so an odd number of seconds rounds down to an even one)."""
    half = int(float(params["window_days"]) * DAY) // 2
    return {"window": 2 * half, "half": half}


def totals(side: str, bind: Mapping[str, Any]) -> str:
    """The table (account, id, payments) of every account's payments on `side` in the data,
    made by `stage_windows` with the same window (`id`: the account's number)."""
    return f"{SHARED}totals_{side}_{int(bind['half'])}"


def _stage_halves(engine: Engine, side: str, bind: Mapping[str, Any]) -> str:
    """Halves (and totals) for `side` and this window: made once per pass, shared by every
    detector that windows by the same length (gather-scatter and bipartite, by default)."""
    halves = f"{SHARED}halves_{side}_{int(bind['half'])}"
    if halves not in engine.tables():
        engine.materialize(halves, _HALVES.format(side=side, other=_OTHER[side], half=HALF), bind)
        engine.materialize(totals(side, bind), _TOTALS.format(halves=halves))
    return halves


def stage_windows(
    engine: Engine,
    name: str,
    side: str,
    bind: Mapping[str, Any],
    min_n: float,
    max_n: float,
    min_share: float = 0.0,
    within: str | None = None,
) -> None:
    """Materialize `name` (account, grid, bucket; `account` is the account's number in
    `mon_ids`): every window in which the account in column
    `side` ("orig" pays, "bene" receives) may have `min_n`..`max_n` distinct counterparties
    and `min_share` of its payments on that side (necessary conditions only: callers apply
    the exact counts to the window's legs). `within`: a table whose `account`s are the only
    ones to consider (e.g. those already busy on the other side)."""
    limits = {**bind, "min_n": int(min_n), "max_n": int(max_n), "min_share": float(min_share)}
    halves = _stage_halves(engine, side, bind)
    template = _WINDOWS if min_share > 0 else _ANY_SHARE
    only = f" WHERE h.account IN (SELECT account FROM {within})" if within else ""
    sql = template.format(halves=halves, grids=GRIDS, totals=totals(side, bind), within=only)
    engine.materialize(name, sql, limits)


def stage_legs(engine: Engine, name: str, side: str, windows: str, bind: Mapping[str, Any]) -> None:
    """Materialize `name`: the payments of the windows in table `windows` (account, grid,
    bucket; `account` the account's number, as `stage_windows` makes them) on `side`, one row
    per payment and window. Columns: account (the account itself), grid, bucket,
    counterparty, ts, value, tx_id."""
    legs = " UNION ALL ".join(
        _LEGS.format(side=side, other=_OTHER[side], windows=windows, grid=grid, half=HALF)
        for grid in (0, 1)
    )
    engine.materialize(name, legs, bind)


def drop_shared(engine: Engine) -> None:
    """Forget the stages shared between detectors (at the end of a pass)."""
    for name in sorted(engine.tables()):
        if name.startswith(SHARED):
            engine.drop(name)


#: Busy windows this many halves apart or closer (touching or overlapping) are one burst.
BURST_GAP = 2


def numbered_bursts(source: str, subject: str) -> str:
    """SQL: the busy windows of `source` (columns `grid`, `bucket` and those of `subject`, a
    comma-separated list naming whose windows they are), each with `start`, the first half it
    covers, and `burst`, the number of the run of near windows it belongs to (per subject).

    An account busy in the spring and again in the summer made one alert keyed by the account:
    the summer's finding replaced the spring's evidence. Each run of windows no more than
    `BURST_GAP` halves apart is one burst, and one finding (`burst_key`)."""
    by = f"PARTITION BY {subject} ORDER BY start"
    return f"""
SELECT *, SUM(fresh) OVER ({by} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
FROM (SELECT *, CASE WHEN start - LAG(start) OVER ({by}) <= {BURST_GAP} THEN 0 ELSE 1 END
             AS fresh
      FROM (SELECT *, 2 * bucket - grid AS start FROM {source} AS busy_windows) w) f
"""


def burst_start(grid: int, bucket: int) -> int:
    """The first half a window covers (grid g's window b is halves 2b - g and 2b - g + 1)."""
    return 2 * bucket - grid


def burst_key(subject: str, start: int, half: float) -> str:
    """A burst's identity: whose it is and when its first busy window opens (in seconds since
    the epoch). The same payments give the same key; payments added after the burst leave it."""
    return f"{subject}|{int(start) * int(half)}"
