"""Following money through accounts in time order: the allocation kernel.

Each account holds a pool of money. A payment out of an account takes its share of that pool,
and with it the share of every tagged (traced) part of the pool:

- proportional ("haircut"): a payment of x from a pool of P carries x/P of each tagged part;
  an account that pays out more than it holds pays the rest from money we never saw (clean).
- fifo: a payment takes the oldest money in the pool first, lot by lot.

Money leaving a traced source is wholly tagged. Payments are replayed in (time, tx_id) order,
so money can only move forward in time. Tags are chosen by the caller: a path of accounts
when tracing channels, a (topic, hops) pair when measuring exposure. The kernel is plain
Python over Arrow columns, so it runs the same whichever engine produced the payments.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field

import pyarrow as pa

Tag = Hashable
#: (tag of the money before this hop, receiving account) -> tag after it, or None to stop
Extend = Callable[[Tag, str], Tag | None]

ALLOCATIONS = ("proportional", "fifo")


@dataclass(frozen=True)
class Hop:
    """Tagged money that arrived: which payment carried how much of which tag."""

    tx_id: str
    ts: int
    orig: str
    bene: str
    tag: Tag
    amount: float
    parent: Tag  # the tag the money had before this hop


@dataclass
class Lot:
    """One payment's worth of money in a FIFO pool (tag None: untraced money)."""

    tag: Tag | None
    amount: float


@dataclass
class Pool:
    """Money an account holds: the total and its tagged parts (or lots, for FIFO)."""

    fifo: bool = False
    total: float = 0.0
    tagged: dict[Tag, float] = field(default_factory=lambda: defaultdict(float))
    lots: deque[Lot] = field(default_factory=deque)


def payments(table: pa.Table) -> Iterator[tuple[str, str, str, int, float]]:
    """(tx_id, orig, bene, ts, value) in replay order: by time, then tx_id."""
    ordered = table.sort_by([("ts", "ascending"), ("tx_id", "ascending")])
    yield from zip(
        ordered.column("tx_id").to_pylist(),
        ordered.column("orig").to_pylist(),
        ordered.column("bene").to_pylist(),
        ordered.column("ts").to_pylist(),
        ordered.column("value").to_pylist(),
        strict=True,
    )


def replay(
    edges: pa.Table,
    sources: Mapping[str, tuple[Tag, ...]],
    extend: Extend,
    allocation: str = "proportional",
    stop_at: frozenset[str] = frozenset(),
    min_amount: float = 0.01,
) -> Iterator[Hop]:
    """Every arrival of tagged money, in time order. Money that reaches `stop_at` stays there.

    `sources`: account -> the tags its money carries (one per thing traced, e.g. per topic)."""
    if allocation not in ALLOCATIONS:
        raise ValueError(f"unknown allocation {allocation!r} (known: {', '.join(ALLOCATIONS)})")
    fifo = allocation == "fifo"
    take = _take_fifo if fifo else _take_proportional
    pools: dict[str, Pool] = defaultdict(lambda: Pool(fifo=fifo))
    for tx_id, orig, bene, ts, value in payments(edges):
        if orig in sources:
            carried: dict[Tag, float] = dict.fromkeys(sources[orig], value)
        else:
            carried = take(pools[orig], value) if orig in pools else {}
        if not carried and not fifo:  # the common case: untraced money only dilutes the pool
            pools[bene].total += value
            continue
        arrived = _arrive(pools[bene], value, carried, bene, extend, min_amount, bene in stop_at)
        for parent, tag, amount in arrived:
            yield Hop(tx_id, ts, orig, bene, tag, amount, parent)


def _arrive(
    pool: Pool,
    value: float,
    carried: dict[Tag, float],
    bene: str,
    extend: Extend,
    min_amount: float,
    is_sink: bool,
) -> list[tuple[Tag, Tag, float]]:
    pool.total += value
    if not carried:
        if pool.fifo:
            pool.lots.append(Lot(None, value))
        return []
    arrived = []
    clean = value
    for tag, amount in carried.items():
        new = extend(tag, bene) if amount >= min_amount else None
        if new is None:
            continue
        arrived.append((tag, new, amount))
        if not is_sink:
            pool.tagged[new] += amount
            clean -= amount
            if pool.fifo:
                pool.lots.append(Lot(new, amount))
    if pool.fifo and clean > 0:
        pool.lots.append(Lot(None, clean))
    return arrived


def _take_proportional(pool: Pool, value: float) -> dict[Tag, float]:
    if pool.total <= 0 or not pool.tagged:
        pool.total = max(0.0, pool.total - value)
        return {}
    share = min(1.0, value / pool.total)
    carried = {tag: amount * share for tag, amount in pool.tagged.items()}
    if share >= 1.0:
        pool.tagged.clear()
    else:
        for tag, amount in carried.items():
            pool.tagged[tag] -= amount
    pool.total = max(0.0, pool.total - value)
    return carried


def _take_fifo(pool: Pool, value: float) -> dict[Tag, float]:
    carried: dict[Tag, float] = defaultdict(float)
    left = value
    while left > 0 and pool.lots:
        lot = pool.lots[0]
        amount = min(left, lot.amount)
        if lot.tag is not None:
            carried[lot.tag] += amount
            pool.tagged[lot.tag] -= amount
        lot.amount -= amount
        left -= amount
        if lot.amount <= 1e-9:
            pool.lots.popleft()
    pool.total = max(0.0, pool.total - value)
    return dict(carried)
