"""`flow.replay` with FIFO allocation, compiled over integer exposure tags.

A pool is a queue of lots (tag, or `CLEAN` for untraced money), a segment of one arena from
its oldest lot (`head`) to its newest (`tail`). A full segment moves to its own start, spent
lots dropped, or, when more than half of it is still unspent, to a new place twice its size.
"""

from __future__ import annotations

import numpy as np

from jalur.monitoring.compiled import compiled, grow
from jalur.monitoring.exposure_arrivals import Totals, arrive

#: Per account: where its queue starts in the arena, its oldest and next lot, its room.
Queues = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

#: A lot of untraced money.
CLEAN = -1

#: A lot this small is spent (as in `flow._take_fifo`).
SPENT = 1e-9


@compiled
def replay_fifo(
    orig: np.ndarray,
    bene: np.ndarray,
    value: np.ndarray,
    accounts: int,
    source_start: np.ndarray,
    source_tags: np.ndarray,
    is_seed: np.ndarray,
    shape: tuple[int, int, int, int],
    weights: np.ndarray,
    min_amount: float,
    totals: Totals,
    seed_keys: np.ndarray,
    seed_sums: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """`flow.replay`'s `_take_fifo` and `_arrive`, arrivals added up (`record`)."""
    total = np.zeros(accounts)
    start = np.zeros(accounts, np.int64)
    head = np.zeros(accounts, np.int64)
    tail = np.zeros(accounts, np.int64)
    room = np.zeros(accounts, np.int64)
    lot_tag = np.empty(1024, np.int64)
    lot_amount = np.empty(1024, np.float64)
    used = 0
    # what one payment carries, per tag in the order first taken (`slot`: its place, or -1)
    slot = np.full(shape[0] * shape[2], -1, np.int64)
    carried_tag = np.empty(64, np.int64)
    carried_amount = np.empty(64, np.float64)
    queues = (start, head, tail, room)
    seeds = (seed_keys, seed_sums, 0)
    for p in range(orig.shape[0]):
        o, b, v = orig[p], bene[p], value[p]
        n = 0
        if source_start[o + 1] > source_start[o]:
            n = source_start[o + 1] - source_start[o]
            if n > carried_tag.shape[0]:
                carried_tag, carried_amount = grow(carried_tag, n), grow(carried_amount, n)
            carried_tag[:n] = source_tags[source_start[o] : source_start[o + 1]]
            carried_amount[:n] = v
        else:
            left = v
            while left > 0 and head[o] < tail[o]:
                lot = start[o] + head[o]
                taken = min(left, lot_amount[lot])
                tag = lot_tag[lot]
                if tag != CLEAN and slot[tag] < 0:
                    if n + 1 > carried_tag.shape[0]:
                        carried_tag = grow(carried_tag, n + 1)
                        carried_amount = grow(carried_amount, n + 1)
                    slot[tag] = n
                    carried_tag[n] = tag
                    carried_amount[n] = taken
                    n += 1
                elif tag != CLEAN:
                    carried_amount[slot[tag]] += taken
                lot_amount[lot] -= taken
                left -= taken
                if lot_amount[lot] <= SPENT:
                    head[o] += 1
            for i in range(n):
                slot[carried_tag[i]] = -1
            total[o] = max(0.0, total[o] - v)
        total[b] += v
        clean = v
        for i in range(n):
            moved = carried_amount[i]
            new, seeds = arrive(
                p, b, carried_tag[i], moved, is_seed, shape, weights, min_amount, totals, seeds
            )
            if new < 0:
                continue
            clean -= moved
            if tail[b] == room[b]:
                lot_tag, lot_amount, used = _make_room(b, queues, lot_tag, lot_amount, used)
            _append(b, new, moved, queues, lot_tag, lot_amount)
        if n == 0 or clean > 0:
            if tail[b] == room[b]:
                lot_tag, lot_amount, used = _make_room(b, queues, lot_tag, lot_amount, used)
            _append(b, CLEAN, clean, queues, lot_tag, lot_amount)
    return seeds[0], seeds[1]


@compiled
def _append(
    account: int,
    tag: int,
    amount: float,
    queues: Queues,
    lot_tag: np.ndarray,
    lot_amount: np.ndarray,
) -> None:
    """Append a lot to an account's queue, which has room for it."""
    start, _, tail, _ = queues
    lot_tag[start[account] + tail[account]] = tag
    lot_amount[start[account] + tail[account]] = amount
    tail[account] += 1


@compiled
def _make_room(
    account: int,
    queues: Queues,
    lot_tag: np.ndarray,
    lot_amount: np.ndarray,
    used: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Room for one more lot: spent lots dropped, and the queue moved to a new place twice
    its size when more than half of it is unspent."""
    start, head, tail, room = queues
    live = tail[account] - head[account]
    first = start[account] + head[account]
    if 2 * live > room[account] or room[account] == 0:
        room[account] = max(4, 2 * live)
        lot_tag = grow(lot_tag, used + room[account])
        lot_amount = grow(lot_amount, used + room[account])
        start[account] = used
        used += room[account]
    to = start[account]
    lot_tag[to : to + live] = lot_tag[first : first + live].copy()
    lot_amount[to : to + live] = lot_amount[first : first + live].copy()
    head[account], tail[account] = 0, live
    return lot_tag, lot_amount, used
