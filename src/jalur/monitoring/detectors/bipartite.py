"""Bipartite layering: several payers who each pay the same several payees.

Two payers are linked when they paid at least `min_shared_payees` common payees within one
window (an SQL self-join on the payee); linked payers form a group (a small union-find kernel
over the links, the same on every engine), and a group with `min_payers` payers is a
many-to-many layer. Accounts with more than `max_counterparties` in a window (merchants,
payroll) are left out so ordinary commerce does not link everyone.
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
from jalur.monitoring.detectors.windows import BUCKET, GRIDS, window_params
from jalur.monitoring.engines.base import Engine

#: Stages, each materialized on the engine (one long CTE chain plans badly on DuckDB).
_STAGES = (
    (
        "mon_bip_windowed",
        f"SELECT e.orig, e.bene, e.tx_id, e.ts, g.grid, {BUCKET} AS bucket "
        f"FROM mon_edges e CROSS JOIN {GRIDS} g",
    ),
    (
        "mon_bip_payers",
        "SELECT orig, grid, bucket FROM mon_bip_windowed GROUP BY orig, grid, bucket "
        "HAVING COUNT(DISTINCT bene) BETWEEN $min_shared AND $max_n",
    ),
    (
        "mon_bip_payees",
        "SELECT bene, grid, bucket FROM mon_bip_windowed GROUP BY bene, grid, bucket "
        "HAVING COUNT(DISTINCT orig) BETWEEN 2 AND $max_n",
    ),
    (
        "mon_bip_links",
        """SELECT w.orig, w.bene, w.grid, w.bucket, MIN(w.ts) AS ts, LIST(w.tx_id) AS txs
        FROM mon_bip_windowed w
        JOIN mon_bip_payers o ON w.orig = o.orig AND w.grid = o.grid AND w.bucket = o.bucket
        JOIN mon_bip_payees i ON w.bene = i.bene AND w.grid = i.grid AND w.bucket = i.bucket
        GROUP BY w.orig, w.bene, w.grid, w.bucket""",
    ),
    (
        "mon_bip_pairs",
        """SELECT a.grid, a.bucket, a.orig AS p1, b.orig AS p2
        FROM mon_bip_links a JOIN mon_bip_links b
          ON a.bene = b.bene AND a.grid = b.grid AND a.bucket = b.bucket AND a.orig < b.orig
        GROUP BY a.grid, a.bucket, a.orig, b.orig
        HAVING COUNT(*) >= $min_shared""",
    ),
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
    }
    by_window: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for name, sql in _STAGES:
        engine.materialize(name, sql, bind)
    for row in rows(engine.query(_PAIRS_SQL, bind)):
        by_window[(row["grid"], row["bucket"])].append(row)
    for name, _ in _STAGES:
        engine.drop(name)
    layers = [layer for links in by_window.values() for layer in _group(links)]
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
    headline=lambda f: (
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
