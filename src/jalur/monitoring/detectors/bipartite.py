"""Bipartite layering: several payers who each pay the same several payees.

Two payers are linked when they paid at least `min_shared_payees` common payees within one
window (an SQL self-join on the payee); linked payers form a group (a small union-find kernel
over the links, the same on every engine), and a group with `min_payers` payers is a
many-to-many layer. Accounts with more than `max_counterparties` in a window (merchants,
payroll) are left out so ordinary commerce does not link everyone, and so are payees whose
payments in the window are less than `min_payee_share` of all their payments in the data:
two people who both pay a popular landlord or relative are not a layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jalur.monitoring.detectors.base import (
    Feature,
    Finding,
    Params,
    Typology,
    clip,
    rows,
    sorted_ids,
)
from jalur.monitoring.detectors.windows import (
    HALF,
    SHARED,
    stage_legs,
    stage_windows,
    totals,
    window_params,
)
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.engines.params import quoted

#: Payments into windows in which the payee may be paid by 2..`max_n` payers with
#: `min_payee_share` of its payments (bounds from `stage_windows`), one row per payment and
#: window. `{grid}`: 0 or 1. Payers are checked exactly later, only where pairs need them.
_CANDIDATE_LEGS = """
SELECT e.orig, e.bene, q.grid, q.bucket, e.ts, e.tx_id FROM mon_edges e
JOIN mon_bip_payee_windows q ON q.account = e.bene_id AND q.grid = {grid}
 AND q.bucket = CAST(FLOOR(({half} + {grid}) / 2) AS BIGINT)
"""

_LINKS = """
SELECT orig, bene, grid, bucket, MIN(ts) AS ts, LIST(tx_id) AS txs FROM ({legs}) l
GROUP BY orig, bene, grid, bucket
"""

#: Pairs of payers who paid `min_shared` common payees in one window.
_PAIRS = """
SELECT a.grid, a.bucket, a.orig AS p1, b.orig AS p2
FROM {links} a JOIN {links} b
  ON a.bene = b.bene AND a.grid = b.grid AND a.bucket = b.bucket AND a.orig < b.orig
GROUP BY a.grid, a.bucket, a.orig, b.orig
HAVING COUNT(*) >= $min_shared
"""

#: The windows that candidate pairs rest on, to be checked exactly (accounts by number, as
#: `stage_legs` reads them).
_PAYERS_USED = """
SELECT i.id AS account, u.grid, u.bucket
FROM (SELECT p1 AS account, grid, bucket FROM mon_bip_pairs0
      UNION SELECT p2 AS account, grid, bucket FROM mon_bip_pairs0) u
JOIN mon_ids i ON i.account = u.account
"""
_PAYEES_USED = """
SELECT DISTINCT q.id AS account, l.grid, l.bucket FROM mon_bip_links0 l
JOIN mon_ids p_id ON p_id.account = l.orig
JOIN mon_bip_payers_used p ON p.account = p_id.id AND p.grid = l.grid AND p.bucket = l.bucket
JOIN mon_ids q ON q.account = l.bene
"""

#: Exact counts over every payment of those windows (from `stage_legs`).
_PAYERS_OK = """
SELECT account, grid, bucket FROM mon_bip_payer_legs GROUP BY account, grid, bucket
HAVING COUNT(DISTINCT counterparty) BETWEEN $min_shared AND $max_n
"""
_PAYEES_OK = """
SELECT l.account, l.grid, l.bucket FROM mon_bip_payee_legs l
JOIN {totals} t ON t.account = l.account
GROUP BY l.account, l.grid, l.bucket
HAVING COUNT(DISTINCT l.counterparty) BETWEEN 2 AND $max_n
   AND COUNT(*) >= $min_share * MAX(t.payments)
"""

_LINKS_OK = """
SELECT l.* FROM mon_bip_links0 l
JOIN mon_bip_payers_ok p ON p.account = l.orig AND p.grid = l.grid AND p.bucket = l.bucket
JOIN mon_bip_payees_ok q ON q.account = l.bene AND q.grid = l.grid AND q.bucket = l.bucket
"""

_TABLES = (
    "mon_bip_payee_windows",
    "mon_bip_links0",
    "mon_bip_pairs0",
    "mon_bip_payers_used",
    "mon_bip_payees_used",
    "mon_bip_payer_legs",
    "mon_bip_payee_legs",
    "mon_bip_payers_ok",
    "mon_bip_payees_ok",
    "mon_bip_links",
    "mon_bip_pairs",
)

_PAIRS_SQL = """
SELECT p.grid, p.bucket, p.p1, p.p2, LIST(a.bene) AS shared,
       FLATTEN(LIST(a.txs)) AS tx1s, FLATTEN(LIST(b.txs)) AS tx2s,
       MIN(LEAST(a.ts, b.ts)) AS t_first
FROM mon_bip_pairs p
JOIN mon_bip_links a ON a.orig = p.p1 AND a.grid = p.grid AND a.bucket = p.bucket
JOIN mon_bip_links b
  ON b.orig = p.p2 AND b.bene = a.bene AND b.grid = p.grid AND b.bucket = p.bucket
GROUP BY p.grid, p.bucket, p.p1, p.p2
"""


def _shared_pairs(engine: Engine, bind: Params) -> str:
    """The linked payers with what they share, made once per pass for each set of settings
    (stack finds its layers with bipartite's settings by default and reuses them)."""
    share = round(float(bind["min_share"]) * 1_000_000)
    sizes = "_".join(str(int(bind[key])) for key in ("half", "min_shared", "max_n"))
    name = f"{SHARED}bip_{sizes}_{share}"  # numbers only: settings never become SQL text
    if name not in engine.tables():
        _stage_links(engine, bind)
        engine.materialize(name, _PAIRS_SQL, bind)
        for table in _TABLES:
            engine.drop(table)
    return name


def _stage_links(engine: Engine, bind: Params) -> None:
    """`mon_bip_links` and `mon_bip_pairs`: cheap bounds first, exact counts only for the
    windows that candidate pairs rest on (the exact checks only remove links, so the pairs
    they leave are among the candidates)."""
    stage_windows(
        engine, "mon_bip_payee_windows", "bene", bind, 2, bind["max_n"], bind["min_share"]
    )
    legs = " UNION ALL ".join(_CANDIDATE_LEGS.format(grid=g, half=HALF) for g in (0, 1))
    engine.materialize("mon_bip_links0", _LINKS.format(legs=legs), bind)
    engine.materialize("mon_bip_pairs0", _PAIRS.format(links="mon_bip_links0"), bind)
    engine.materialize("mon_bip_payers_used", _PAYERS_USED)
    engine.materialize("mon_bip_payees_used", _PAYEES_USED)
    stage_legs(engine, "mon_bip_payer_legs", "orig", "mon_bip_payers_used", bind)
    stage_legs(engine, "mon_bip_payee_legs", "bene", "mon_bip_payees_used", bind)
    engine.materialize("mon_bip_payers_ok", _PAYERS_OK, bind)
    payees_ok = _PAYEES_OK.replace("{totals}", totals("bene", bind))
    engine.materialize("mon_bip_payees_ok", payees_ok, bind)
    engine.materialize("mon_bip_links", _LINKS_OK)
    engine.materialize("mon_bip_pairs", _PAIRS.format(links="mon_bip_links"), bind)


@dataclass
class Layer:
    """A group of payers and the payees they share, in one window."""

    payers: set[str] = field(default_factory=set)
    payees: set[str] = field(default_factory=set)
    edges: set[tuple[str, str]] = field(default_factory=set)
    tx_ids: set[str] = field(default_factory=set)
    t_first: int = 0

    @property
    def density(self) -> float:
        return len(self.edges) / max(1, len(self.payers) * len(self.payees))


def find_layers(engine: Engine, params: Params, window_days: float) -> list[Layer]:
    """Many-to-many layers in windows of `window_days`, deduplicated and maximal."""
    bind = {
        **window_params({"window_days": window_days}),
        "min_shared": int(params["min_shared_payees"]),
        "max_n": int(params["max_counterparties"]),
        "min_share": float(params["min_payee_share"]),
    }
    by_window: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    shared = quoted(_shared_pairs(engine, bind), "duckdb")
    for row in rows(engine.query(f"SELECT * FROM {shared}")):
        by_window[(row["grid"], row["bucket"])].append(row)
    # Windows in order: the same layer found in both grids' windows keeps the later one's
    # payments (`_maximal`), whatever order the engine returned the rows in.
    layers = [layer for _, links in sorted(by_window.items()) for layer in _group(links)]
    big = [layer for layer in layers if len(layer.payers) >= int(params["min_payers"])]
    return _maximal(big)


def _group(links: list[dict[str, Any]]) -> Iterable[Layer]:
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        parent[root(link["p1"])] = root(link["p2"])
    layers: dict[str, Layer] = defaultdict(Layer)
    for link in links:
        layer = layers[root(link["p1"])]
        layer.t_first = min(layer.t_first or link["t_first"], link["t_first"])
        layer.payers.update((link["p1"], link["p2"]))
        layer.payees.update(link["shared"])
        layer.edges.update((p, q) for p in (link["p1"], link["p2"]) for q in link["shared"])
        layer.tx_ids.update([*link["tx1s"], *link["tx2s"]])
    return layers.values()


def _maximal(layers: list[Layer]) -> list[Layer]:
    """Drop layers that repeat (both window grids) or sit inside a larger one."""
    unique = {(sorted_ids(x.payers), sorted_ids(x.payees)): x for x in layers}
    ordered = sorted(unique.items(), key=lambda kv: (-len(kv[0][0]) - len(kv[0][1]), kv[0]))
    kept: list[Layer] = []
    for _, layer in ordered:
        if not any(layer.payers <= k.payers and layer.payees <= k.payees for k in kept):
            kept.append(layer)
    return kept


def find(engine: Engine, params: Params) -> list[Finding]:
    return [
        Finding(
            typology="bipartite",
            key="|".join(sorted_ids(layer.payers)) + "->" + "|".join(sorted_ids(layer.payees)),
            account=min(layer.payers),
            accounts=sorted_ids(layer.payers | layer.payees),
            tx_ids=sorted_ids(layer.tx_ids),
            facts={
                "payers": len(layer.payers),
                "payees": len(layer.payees),
                "density": round(layer.density, 6),
            },
        )
        for layer in find_layers(engine, params, float(params["window_days"]))
    ]


BIPARTITE = Typology(
    name="bipartite",
    summary="Several payers each paying the same several payees (a many-to-many layer).",
    find=find,
    headline=lambda f, p: (
        f"{f.facts['payers']} payers (first {f.account}) paid the same {f.facts['payees']} payees"
    ),
    features=(
        Feature(
            "payers",
            lambda f, p: clip(f["payers"] / (2.0 * float(p["min_payers"]))),
            lambda f, p: f"{f['payers']} payers linked by common payees",
        ),
        Feature(
            "payees",
            lambda f, p: clip(f["payees"] / (2.0 * float(p["min_shared_payees"]))),
            lambda f, p: f"{f['payees']} payees shared",
        ),
        Feature(
            "density",
            lambda f, p: clip(f["density"]),
            lambda f, p: f"{f['density']:.0%} of payer-payee pairs paid",
        ),
    ),
)
