"""Channel tracing: the routes by which money from source accounts reached sink accounts.

The flow kernel replays the payments in time order and tags money leaving a source with its
path; every payment extends the path of the money it carries (allocation: proportional by
default, or FIFO; see `flow`). Money that reaches a sink stops there and is counted against
the exact path it took: that path is a channel, with the amount it carried, its hops, and
the time from the first payment out of the source to the last arrival at the sink. Money that
loops back to an account already on its path resumes that shorter path, so paths stay simple
and amounts are conserved; after `max_hops` payments money is no longer followed.

A channel's id is stable: a hash of the question (sources, sinks, allocation, hop limit) and
the path, so tracing the same question again names the same channel and a case can cite it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from jalur.canonical import canonical, sha256_hex
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.flow import replay
from jalur.monitoring.reach import reachable_payments

Path_ = tuple[str, ...]

CHANNEL_SCHEMA = pa.schema(
    [
        ("channel_id", pa.string()),
        ("source", pa.string()),
        ("sink", pa.string()),
        ("path", pa.list_(pa.string())),
        ("hops", pa.int32()),
        ("amount", pa.float64()),
        ("first_departure", pa.int64()),
        ("last_arrival", pa.int64()),
        ("duration_s", pa.int64()),
        ("tx_ids", pa.list_(pa.string())),
    ]
)


@dataclass
class Tracing:
    """The channels found, and what left the sources in all (to read amounts against)."""

    channels: pa.Table
    sources: frozenset[str]
    sinks: frozenset[str]
    allocation: str
    emitted: float
    arrived: float
    hops: int = 6
    payments_replayed: int = 0
    notes: list[str] = field(default_factory=list)


def trace(
    engine: Engine,
    sources: frozenset[str],
    sinks: frozenset[str],
    max_hops: int = 6,
    allocation: str = "proportional",
    min_amount: float = 0.01,
) -> Tracing:
    """Channels from `sources` to `sinks` over the engine's `mon_edges`."""
    edges = reachable_payments(engine, set(sources), max_hops, "down")
    starts: dict[Path_, int] = {}
    txs: dict[Path_, set[str]] = defaultdict(set)
    arrivals: dict[Path_, list[tuple[float, int]]] = defaultdict(list)

    def extend(tag: object, bene: str) -> object:
        path: Path_ = tag  # type: ignore[assignment]
        if bene in path:
            return path[: path.index(bene) + 1]
        return (*path, bene) if len(path) <= max_hops else None

    sources_tags = {s: ((s,),) for s in sources}
    for hop in replay(edges, sources_tags, extend, allocation, sinks, min_amount):
        path: Path_ = hop.tag  # type: ignore[assignment]
        parent: Path_ = hop.parent  # type: ignore[assignment]
        starts[path] = min(starts.get(path, hop.ts), starts.get(parent, hop.ts))
        txs[path].add(hop.tx_id)
        if hop.bene in sinks:
            arrivals[path].append((hop.amount, hop.ts))

    def name(path: Path_) -> str:
        return channel_key(sources, sinks, allocation, max_hops, path)

    channels = _channels(arrivals, starts, txs, name)
    emitted = _emitted(edges, sources)
    return Tracing(
        channels=channels,
        sources=sources,
        sinks=sinks,
        allocation=allocation,
        emitted=emitted,
        arrived=round(sum(channels["amount"].to_pylist()), 2),
        hops=max_hops,
        payments_replayed=edges.num_rows,
    )


def channel_key(
    sources: frozenset[str], sinks: frozenset[str], allocation: str, max_hops: int, path: Path_
) -> str:
    """The channel's stable id: the same question and path always give the same id."""
    body = {
        "sources": sorted(sources), "sinks": sorted(sinks), "allocation": allocation,
        "max_hops": max_hops, "path": list(path),
    }  # fmt: skip
    return "CH-" + sha256_hex(canonical(body))[:16].upper()


def _channels(
    arrivals: dict[Path_, list[tuple[float, int]]],
    starts: dict[Path_, int],
    txs: dict[Path_, set[str]],
    name: Callable[[Path_], str],
) -> pa.Table:
    rows = []
    ranked = sorted(arrivals.items(), key=lambda kv: (-sum(a for a, _ in kv[1]), kv[0]))
    for path, got in ranked:
        last = max(ts for _, ts in got)
        prefixes = [path[:n] for n in range(2, len(path) + 1)]
        rows.append(
            {
                "channel_id": name(path),
                "source": path[0],
                "sink": path[-1],
                "path": list(path),
                "hops": len(path) - 1,
                "amount": round(sum(a for a, _ in got), 2),
                "first_departure": starts[path],
                "last_arrival": last,
                "duration_s": last - starts[path],
                "tx_ids": sorted(set().union(*(txs[p] for p in prefixes))),
            }
        )
    return pa.Table.from_pylist(rows, schema=CHANNEL_SCHEMA)


def _emitted(edges: pa.Table, sources: frozenset[str]) -> float:
    total = 0.0
    for orig, value in zip(edges["orig"].to_pylist(), edges["value"].to_pylist(), strict=True):
        if orig in sources:
            total += value
    return round(total, 2)
