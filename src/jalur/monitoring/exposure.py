"""Exposure: how close each account's money is to terror- and drug-listed parties.

For every account and topic, the share of its money that the flow kernel can trace, within
`max_hops` time-respecting hops, from seed accounts (money in: downstream of drug proceeds)
or onward to seed accounts (money out: upstream of a terror financier), each hop beyond the
first discounted by `decay`. The larger of the two shares is the account's exposure for that
topic. Terror and drug exposure are measured separately and never mixed: a drug trafficker's
bank account is not a terrorist's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc

from jalur.monitoring.detectors.base import Params
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.flow import replay
from jalur.monitoring.reach import reachable_payments

EXPOSURE_SCHEMA = pa.schema(
    [
        ("account", pa.string()),
        ("topic", pa.string()),
        ("score", pa.float64()),
        ("share_in", pa.float64()),
        ("share_out", pa.float64()),
        ("hops", pa.int32()),
        ("amount", pa.float64()),
        ("seeds", pa.list_(pa.string())),
        ("tx_ids", pa.list_(pa.string())),
    ]
)


@dataclass
class _Traced:
    weighted: float = 0.0
    amount: float = 0.0
    hops: int = 99
    seeds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    tx_ids: set[str] = field(default_factory=set)


def measure(engine: Engine, seeds: Mapping[str, frozenset[str]], params: Params) -> pa.Table:
    """Exposure of every reached account, per topic (seeds themselves excluded)."""
    out = []
    for topic, accounts in sorted(seeds.items()):
        if accounts:
            out.extend(_measure_topic(engine, topic, accounts, params))
    return pa.Table.from_pylist(out, schema=EXPOSURE_SCHEMA)


def _measure_topic(
    engine: Engine, topic: str, seeds: frozenset[str], params: Params
) -> list[dict[str, object]]:
    hops = int(params["max_hops"])
    down = _trace(reachable_payments(engine, set(seeds), hops, "down"), seeds, params)
    up_edges = _reversed(reachable_payments(engine, set(seeds), hops, "up"))
    up = _trace(up_edges, seeds, params)
    rows = []
    for account in sorted((down[0].keys() | up[0].keys()) - seeds):
        d, u = down[0].get(account, _Traced()), up[0].get(account, _Traced())
        share_in = min(1.0, d.weighted / down[1][account]) if down[1].get(account) else 0.0
        share_out = min(1.0, u.weighted / up[1][account]) if up[1].get(account) else 0.0
        both = {**u.seeds, **d.seeds}
        rows.append(
            {
                "account": account,
                "topic": topic,
                "score": round(max(share_in, share_out), 6),
                "share_in": round(share_in, 6),
                "share_out": round(share_out, 6),
                "hops": min(d.hops, u.hops),
                "amount": round(d.amount + u.amount, 2),
                "seeds": sorted(both, key=lambda s: (-both[s], s))[:5],
                "tx_ids": sorted(d.tx_ids | u.tx_ids),
            }
        )
    return rows


def _trace(
    edges: pa.Table, seeds: frozenset[str], params: Params
) -> tuple[dict[str, _Traced], dict[str, float]]:
    """Traced money per receiving account, and each account's total inflow."""
    max_hops, decay = int(params["max_hops"]), float(params["decay"])

    def extend(tag: object, bene: str) -> object:
        seed, hops = cast(tuple[str, int], tag)
        return (seed, hops + 1) if hops < max_hops and bene not in seeds else None

    traced: dict[str, _Traced] = defaultdict(_Traced)
    sources = {seed: (seed, 0) for seed in seeds}
    for hop in replay(edges, sources, extend, str(params["allocation"])):
        seed, hops = cast(tuple[str, int], hop.tag)
        item = traced[hop.bene]
        item.weighted += hop.amount * decay ** (hops - 1)
        item.amount += hop.amount
        item.hops = min(item.hops, hops)
        item.seeds[seed] += hop.amount
        item.tx_ids.add(hop.tx_id)
    totals = edges.group_by("bene").aggregate([("value", "sum")])
    inflow = dict(zip(totals["bene"].to_pylist(), totals["value_sum"].to_pylist(), strict=True))
    return traced, inflow


def _reversed(edges: pa.Table) -> pa.Table:
    """The same payments backwards in time and direction (for upstream exposure)."""
    return pa.table(
        {
            "tx_id": edges["tx_id"],
            "orig": edges["bene"],
            "bene": edges["orig"],
            "ts": pc.negate(edges["ts"]),
            "value": edges["value"],
        }
    )
