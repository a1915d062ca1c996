"""Paths of amount-matched payments, in time order or not, grown one hop per step on the engine.

Money layered through accounts keeps roughly its amount from hop to hop, but the payments need
not run in time order: AMLSim schedules a ring's payments months apart in any order, and a
quarter of IBM AMLworld's cycles close with a payment dated before the one it returns. The time-
respecting cycle search (`cycles.py`) cannot see those. This search follows a payment to the
next account's payments of `min_ratio`..`max_ratio` times its amount within `window` seconds of
the path's first payment before or after it, or of the very same amount (to the cent) at any
time over the whole data, on the payments between *quiet* accounts only (at most `max_degree`
payments on each side over the whole data): a merchant's thousands of receipts would chain with
everything, and an account that moves money on one amount at a time is what a layering hop looks
like.

Paths are rows of (first tx, start account, current account, last amount, accounts, tx ids, in-
order flag); each step is one equi-join on (account, amount bin), as in `hops.py`. The `ordered`
flag stays true while every hop is no earlier than the one before and within `window` seconds of
the first payment, so callers can score the time-respecting ones higher.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from jalur.monitoring.detectors.base import Params, rows
from jalur.monitoring.detectors.windows import SHARED
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

log = logging.getLogger(__name__)

#: The most partial paths a search grows further. Paths multiply with each hop where many
#: accounts pass alike amounts among themselves: 113 payments of 9,500 or 9,900 USD among 15
#: accounts in five days made 16 million open paths at the tenth hop (no answer in minutes),
#: 300 at one second among 30 accounts half a million cycles. The most any search reached on
#: the data we measured is 14,191 (AMLSim 20K_cycle200; generator 1,000,000 payments: 5,100),
#: so the budget is far above real data and stops only such a knot, saying so.
MAX_OPEN_PATHS = 250_000

QUIET = "mon_paths_quiet"
_STEP, _OPEN = "mon_paths_step", "mon_paths_open"

#: Payments between accounts with at most $max_degree payments out (payer) and in (payee), with
#: their log amounts: shared by the searches of one pass (cycles and chains both read it), as
#: only the amount bins differ between them.
_QUIET_SHARED_SQL = """
WITH outs AS (SELECT orig AS account FROM mon_edges GROUP BY orig
              HAVING COUNT(*) <= $max_degree),
     ins AS (SELECT bene AS account FROM mon_edges GROUP BY bene
             HAVING COUNT(*) <= $max_degree)
SELECT e.tx_id, e.orig, e.bene, e.ts, e.value, LN(e.value) AS lv, e.currency
FROM mon_edges e
JOIN outs o ON o.account = e.orig
JOIN ins i ON i.account = e.bene
WHERE e.value > 0
"""

#: One search's quiet payments, with their amount bins.
_QUIET_SQL = """
SELECT tx_id, orig, bene, ts, value, currency, CAST(FLOOR(lv / $width) AS BIGINT) AS vbin
FROM {shared} WHERE value >= $min_amount
"""

#: A path (alias p, columns cur/vlast) copied into the two amount bins its next hop may be in.
_PROBE = """
(SELECT x.*, CAST(FLOOR((LN(x.{v}) + $lo) / $width) AS BIGINT) + d.d AS pbin
 FROM {rows} x CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 AS d) d)
"""

#: A hop that changes currency may move `$drift` times further either way: amounts are
#: compared in the reporting currency through a static rate table, not the rates the money was
#: converted at.
_DRIFT = "(CASE WHEN COALESCE(e.currency, '') = COALESCE({c}, '') THEN 1.0 ELSE $drift END)"

#: A hop: about the amount within the window of the path's first payment, in either time
#: direction; or the very same amount (to the cent) at any time.
_HOP = f"""
((e.value >= {{v}} * $min_ratio / {_DRIFT} AND e.value <= {{v}} * $max_ratio * {_DRIFT}
  AND e.ts >= {{t0}} - $window AND e.ts <= {{t0}} + $window)
 OR ABS(e.value - {{v}}) < 0.005)
"""

_FIRST = f"""
SELECT p.tx_id AS id0, p.ts AS t0, p.orig AS start, e.bene AS cur, e.ts AS tlast,
       p.value AS v0, e.value AS vlast, [p.orig, p.bene, e.bene] AS nodes,
       [p.tx_id, e.tx_id] AS txs, e.currency AS clast,
       e.ts >= p.ts AND e.ts <= p.ts + $window AS ordered, e.bene = p.orig AS closes
FROM {_PROBE.format(rows=QUIET, v="value")} p
JOIN {QUIET} e ON e.orig = p.bene AND e.vbin = p.pbin
WHERE e.tx_id <> p.tx_id AND {_HOP.format(v="p.value", t0="p.ts", c="p.currency")} {{anchor0}}
"""

_NEXT = f"""
SELECT p.id0, p.t0, p.start, e.bene AS cur, e.ts AS tlast, p.v0, e.value AS vlast,
       LIST_APPEND(p.nodes, e.bene) AS nodes, LIST_APPEND(p.txs, e.tx_id) AS txs,
       e.currency AS clast, p.ordered AND e.ts >= p.tlast AND e.ts <= p.t0 + $window AS ordered,
       e.bene = p.start AS closes
FROM {_PROBE.format(rows=_OPEN, v="vlast")} p
JOIN {QUIET} e ON e.orig = p.cur AND e.vbin = p.pbin
WHERE {_HOP.format(v="p.vlast", t0="p.t0", c="p.clast")} AND NOT LIST_CONTAINS(p.txs, e.tx_id)
  AND (e.bene = p.start OR NOT LIST_CONTAINS(p.nodes, e.bene)) {{anchor}}
"""

#: Cycles are found once, from their smallest tx_id; chains from every payment.
_ANCHORS = {
    "cycle": ("AND e.tx_id > p.tx_id", "AND e.tx_id > p.id0"),
    "chain": ("AND e.bene <> p.orig", "AND e.bene <> p.start"),
}

_KEEP_OPEN = (
    f"SELECT id0, t0, start, cur, tlast, v0, vlast, nodes, txs, clast, ordered FROM {_STEP} "
    "WHERE NOT closes"
)
_CLOSED = f"""
SELECT start, nodes, txs, ordered, v0, vlast, tlast - t0 AS duration FROM {_STEP}
WHERE closes AND ARRAY_LENGTH(txs) >= $min_length
"""
_CHAINS = f"SELECT start, nodes, txs, ordered FROM {_STEP} WHERE NOT closes"


def path_params(params: Params) -> dict[str, Any]:
    """Bind values for a search from a typology's parameters (`window_days`, `min_hop_ratio`,
    `max_hop_ratio`, `currency_drift`, `max_degree`, `min_amount`); the amount bins are as wide
    as a hop that changes currency may move."""
    low, high = float(params["min_hop_ratio"]), float(params["max_hop_ratio"])
    drift = float(params["currency_drift"])
    if not 0 < low <= high or drift < 1:
        raise ValueError(
            f"hop ratios must satisfy 0 < min <= max and currency_drift >= 1, not {low}, "
            f"{high}, {drift}"
        )
    return {
        "window": int(float(params["window_days"]) * DAY),
        "min_ratio": low,
        "max_ratio": high,
        "drift": drift,
        "lo": math.log(low / drift) - 0.001,
        "width": math.log(high * drift / (low / drift)) + 0.004,
        "max_degree": int(params["max_degree"]),
        "min_amount": float(params["min_amount"]),
    }


def stage_quiet(engine: Engine, bind: dict[str, Any]) -> None:
    """The payments between quiet accounts, with their amount bins (`QUIET`); the quiet
    payments themselves are staged once per pass and `max_degree` (dropped with the pass's
    shared stages)."""
    shared = f"{SHARED}quiet_{int(bind['max_degree'])}"
    if shared not in engine.tables():
        engine.materialize(shared, _QUIET_SHARED_SQL, bind)
    engine.materialize(QUIET, _QUIET_SQL.format(shared=shared), bind)


def over_budget(engine: Engine, table: str, search: str, hops: int) -> bool:
    """True, with a warning naming the search, when `table` holds more paths than the budget:
    the search then stops growing them (what it found so far stands)."""
    held = int(next(iter(rows(engine.query(f"SELECT COUNT(*) AS n FROM {table}"))))["n"])
    if held <= MAX_OPEN_PATHS:
        return False
    log.warning(
        "%s: stopped at %d payments per path: %s partial paths exceed the budget of %s"
        " (many accounts passing alike amounts among themselves); longer ones not searched",
        search, hops, f"{held:,}", f"{MAX_OPEN_PATHS:,}",
    )  # fmt: skip
    return True


def closed_paths(
    engine: Engine, bind: dict[str, Any], max_length: int, min_length: int
) -> list[dict[str, Any]]:
    """Cycles of `min_length`..`max_length` payments, any time order, each once."""
    first, nxt = _ANCHORS["cycle"]
    found: list[dict[str, Any]] = []
    engine.materialize(_STEP, _FIRST.format(anchor0=first), bind)
    for hops in range(2, max_length):
        found.extend(rows(engine.query(_CLOSED, {**bind, "min_length": min_length})))
        if over_budget(engine, _STEP, "cycle (any time order)", hops):
            drop(engine)
            return found
        engine.materialize(_OPEN, _KEEP_OPEN)
        engine.materialize(_STEP, _NEXT.format(anchor=nxt), bind)
    found.extend(rows(engine.query(_CLOSED, {**bind, "min_length": min_length})))
    drop(engine)
    return found


def open_paths(engine: Engine, bind: dict[str, Any], length: int) -> list[dict[str, Any]]:
    """Chains of exactly `length` payments (no account twice): every longer chain contains
    one, so their unions are the chains."""
    first, nxt = _ANCHORS["chain"]
    engine.materialize(_STEP, _FIRST.format(anchor0=first), bind)
    for hops in range(2, length):
        if over_budget(engine, _STEP, "chain", hops):
            drop(engine)
            return []
        engine.materialize(_OPEN, _KEEP_OPEN)
        engine.materialize(_STEP, _NEXT.format(anchor=nxt), bind)
    found = rows(engine.query(_CHAINS))
    drop(engine)
    return list(found)


def drop(engine: Engine) -> None:
    engine.drop(_STEP)
    engine.drop(_OPEN)
