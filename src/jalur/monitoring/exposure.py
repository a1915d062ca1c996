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

from jalur.monitoring.detectors.base import Params
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.flow import replay
from jalur.monitoring.reach import FlowInput, flow_input

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
    """Exposure of every reached account, per topic (a topic's own seeds excluded).

    All topics ride in one replay per direction, each carrying its own tags, so the
    payments are replayed twice in all, not twice per topic."""
    seeds = {topic: accounts for topic, accounts in sorted(seeds.items()) if accounts}
    if not seeds:
        return EXPOSURE_SCHEMA.empty_table()
    every = set().union(*seeds.values())
    hops = int(params["max_hops"])
    down = _trace(flow_input(engine, every, hops, "down"), seeds, params)
    up = _trace(flow_input(engine, every, hops, "up"), seeds, params)
    rows = []
    for topic, accounts in seeds.items():
        rows.extend(_rows(topic, accounts, down, up))
    return pa.Table.from_pylist(rows, schema=EXPOSURE_SCHEMA)


Traced = tuple[dict[tuple[str, str], "_Traced"], dict[str, float]]


def _rows(topic: str, seeds: frozenset[str], down: Traced, up: Traced) -> list[dict[str, object]]:
    reached = {a for a, t in down[0] if t == topic} | {a for a, t in up[0] if t == topic}
    rows = []
    for account in sorted(reached - seeds):
        d = down[0].get((account, topic), _Traced())
        u = up[0].get((account, topic), _Traced())
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


def _trace(flow: FlowInput, seeds: Mapping[str, frozenset[str]], params: Params) -> Traced:
    """Traced money per (receiving account, topic), and each account's total inflow."""
    max_hops, decay = int(params["max_hops"]), float(params["decay"])

    def extend(tag: object, bene: str) -> object:
        topic, seed, hops = cast(tuple[str, str, int], tag)
        return (topic, seed, hops + 1) if hops < max_hops and bene not in seeds[topic] else None

    sources: dict[str, tuple[object, ...]] = {}
    for topic, accounts in seeds.items():
        for seed in accounts:
            sources[seed] = (*sources.get(seed, ()), (topic, seed, 0))
    traced: dict[tuple[str, str], _Traced] = defaultdict(_Traced)
    allocation = str(params["allocation"])
    for hop in replay(flow.edges, sources, extend, allocation, opening=flow.opening):
        topic, seed, hops = cast(tuple[str, str, int], hop.tag)
        item = traced[(hop.bene, topic)]
        item.weighted += hop.amount * decay ** (hops - 1)
        item.amount += hop.amount
        item.hops = min(item.hops, hops)
        item.seeds[seed] += hop.amount
        item.tx_ids.add(hop.tx_id)
    return traced, flow.inflow
