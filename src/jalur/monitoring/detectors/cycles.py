"""Cycles (round-tripping): money that comes back to the account it left.

A cycle is a chain of payments A→B→…→A, each no earlier than the one before, all within the
window of the first, each passing on between `min_hop_ratio` and `max_hop_ratio` of the payment
before it (the same money less fees). Every cycle is found once: from its earliest payment
(by time, then tx_id). Paths grow one hop per step as a table on the engine, so the search is
plain joins on DuckDB and on Spark alike.

Beside that windowed search, cycles among quiet accounts are also looked for over the whole
data in any time order (`paths.py`, `any_order_*` parameters): AMLSim's and IBM's rings are
often scheduled out of order. Those that do not run forward in time score lower.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    days,
    money,
    reporting,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.hops import hop_params, next_hops
from jalur.monitoring.detectors.paths import (
    closed_paths,
    drop,
    over_budget,
    path_params,
    stage_quiet,
)
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.params import DAY

#: Paths of two payments, straight from the payments (no table of one-payment paths).
_FIRST = """
SELECT p.tx_id AS id0, p.ts AS t0, p.orig AS start, e.bene AS cur, e.bene_id AS cur_id,
       e.ts AS tlast, p.value AS v0, e.value AS vlast, [p.orig, p.bene, e.bene] AS nodes,
       [p.tx_id, e.tx_id] AS txs, e.bene = p.orig AS closes
FROM {hops}
WHERE p.value >= $min_amount AND e.ts >= p.ts AND e.ts <= p.ts + $window
  AND (e.ts > p.ts OR e.tx_id > p.tx_id)
  AND e.value >= p.value * $min_ratio AND e.value <= p.value * $max_ratio
"""

_STEP = """
SELECT p.id0, p.t0, p.start, e.bene AS cur, e.bene_id AS cur_id, e.ts AS tlast, p.v0,
       e.value AS vlast,
       LIST_APPEND(p.nodes, e.bene) AS nodes, LIST_APPEND(p.txs, e.tx_id) AS txs,
       e.bene = p.start AS closes
FROM {hops}
WHERE e.ts >= p.tlast AND e.ts <= p.t0 + $window AND (e.ts > p.t0 OR e.tx_id > p.id0)
  AND e.value >= p.vlast * $min_ratio AND e.value <= p.vlast * $max_ratio
  AND (e.bene = p.start OR NOT LIST_CONTAINS(p.nodes, e.bene))
"""

_FIRST_SQL = _FIRST.format(hops=next_hops("mon_edges", "p", "bene", "ts", "value", "bene_id"))
_STEP_SQL = _STEP.format(hops=next_hops("mon_cycle_paths", "p", "cur", "tlast", "vlast", "cur_id"))

_OPEN = """
SELECT id0, t0, start, cur, cur_id, tlast, v0, vlast, nodes, txs FROM mon_cycle_step
WHERE NOT closes
"""
_CLOSED = """
SELECT start, nodes, txs, v0, vlast, tlast - t0 AS duration
FROM mon_cycle_step WHERE closes AND ARRAY_LENGTH(txs) >= $min_length
"""


def find(engine: Engine, params: Params) -> list[Finding]:
    window = int(float(params["window_days"]) * DAY)
    min_ratio, max_ratio = float(params["min_hop_ratio"]), float(params["max_hop_ratio"])
    bind = {
        "window": window,
        "min_amount": float(params["min_amount"]),
        "min_ratio": min_ratio,
        "max_ratio": max_ratio,
        "min_length": int(params["min_length"]),
        **hop_params(min_ratio, max_ratio, window),
    }
    closed: list[dict[str, Any]] = []
    engine.materialize("mon_cycle_step", _FIRST_SQL, bind)
    for hops in range(2, int(params["max_length"])):
        closed.extend(rows(engine.query(_CLOSED, bind)))
        if over_budget(engine, "mon_cycle_step", "cycle", hops):
            break
        engine.materialize("mon_cycle_paths", _OPEN)
        engine.materialize("mon_cycle_step", _STEP_SQL, bind)
    else:
        closed.extend(rows(engine.query(_CLOSED, bind)))
    engine.drop("mon_cycle_step")
    engine.drop("mon_cycle_paths")
    for cycle in closed:
        cycle["ordered"] = True
    if int(params["any_order_max_length"]) >= 2:
        closed.extend(_any_order(engine, params))
    return _group(closed)


def _any_order(engine: Engine, params: Params) -> list[dict[str, Any]]:
    """Cycles among quiet accounts over the whole data, in any time order."""
    bind = path_params(
        {
            **params,
            "min_hop_ratio": params["any_order_min_hop_ratio"],
            "max_hop_ratio": params["any_order_max_hop_ratio"],
            "window_days": params["any_order_window_days"],
        }
    )
    stage_quiet(engine, bind)
    found = closed_paths(
        engine, bind, int(params["any_order_max_length"]), int(params["min_length"])
    )
    drop(engine)
    return found


def _group(closed: list[dict[str, Any]]) -> list[Finding]:
    """One finding per set of accounts, however many times money went round it."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for cycle in closed:
        groups[sorted_ids(cycle["nodes"])].append(cycle)
    return [_finding(accounts, cycles) for accounts, cycles in sorted(groups.items())]


def _finding(accounts: tuple[str, ...], cycles: list[dict[str, Any]]) -> Finding:
    first = min(cycles, key=lambda c: (not c["ordered"], c["duration"], c["txs"]))
    return Finding(
        typology="cycle",
        key="|".join(accounts),
        account=str(first["start"]),
        accounts=accounts,
        tx_ids=sorted_ids(tx for c in cycles for tx in c["txs"]),
        facts={
            "length": len(accounts),
            "rounds": _rounds(cycles),
            "amount": max(float(c["v0"]) for c in cycles),
            "kept": max(float(c["vlast"]) / float(c["v0"]) for c in cycles),
            "duration": min(int(c["duration"]) for c in cycles),
            "path": [str(n) for n in first["nodes"]],
            "ordered": any(bool(c["ordered"]) for c in cycles),
            "subjects": list(accounts),
        },
    )


def _rounds(cycles: list[dict[str, Any]]) -> int:
    """How many times money went round: for each ring of hops, the fewest payments on any hop
    (each round needs one payment per hop), summed over the rings. Counting the paths
    multiplied parallel payments: five identical payments on each hop of a five-account ring
    (AMLSim repeats rows) are 3,125 paths, and the alert said "3125 time(s) round"; found by
    both searches, twice that."""
    rings: dict[frozenset[tuple[str, str]], dict[tuple[str, str], set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for cycle in cycles:
        nodes = [str(n) for n in cycle["nodes"]]
        hops = list(pairwise(nodes))
        for hop, tx in zip(hops, cycle["txs"], strict=True):
            rings[frozenset(hops)][hop].add(str(tx))
    return sum(min(len(txs) for txs in ring.values()) for ring in rings.values())


CYCLE = Typology(
    name="cycle",
    summary="Time-respecting cycles of up to six accounts within a window (round-tripping).",
    find=find,
    headline=lambda f, p: (
        f"money went round {f.facts['length']} accounts and back to {f.account}: "
        f"{' → '.join(f.facts['path'])}"
    ),
    features=(
        Feature(
            "length",
            lambda f, p: clip((f["length"] - 1) / (float(p["max_length"]) - 1)),
            lambda f, p: f"{f['length']} accounts in the cycle, {f['rounds']} time(s) round",
        ),
        Feature(
            "amount_kept",
            lambda f, p: clip(f["kept"]),
            lambda f, p: f"{f['kept']:.0%} of {money(f['amount'], reporting(p))} came back",
        ),
        Feature(
            "speed",
            lambda f, p: clip(1.0 - abs(f["duration"]) / (float(p["window_days"]) * DAY)),
            lambda f, p: f"round trip in {days(abs(float(f['duration'])))}",
        ),
        Feature(
            "in_time_order",
            lambda f, p: 1.0 if f["ordered"] else 0.0,
            lambda f, p: (
                "each payment after the one before"
                if f["ordered"]
                else "payments not in time order"
            ),
        ),
    ),
)
