"""`flow.replay` with proportional allocation, compiled over integer exposure tags.

A pool's tagged parts are a segment of one arena, in the order they were first added (as a
dict keeps them), found by (account, tag) in a table. Paying out everything empties a pool
at once: its generation moves on, so the table's entries for it no longer count.
"""

from __future__ import annotations

import numpy as np

from jalur.monitoring.compiled import EMPTY, compiled, grow, place, reserve
from jalur.monitoring.exposure_arrivals import Totals, arrive


@compiled
def replay_proportional(
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
    """`flow.replay`'s `_take_proportional` and `_arrive`, arrivals added up (`record`)."""
    tag_count = shape[0] * shape[2]
    total = np.zeros(accounts)
    start = np.zeros(accounts, np.int64)
    size = np.zeros(accounts, np.int64)
    room = np.zeros(accounts, np.int64)
    generation = np.zeros(accounts, np.int64)
    arena_tag = np.empty(1024, np.int64)
    arena_amount = np.empty(1024, np.float64)
    used = 0
    index = np.full(1024, EMPTY, np.int64)  # (account, tag) -> place, generation
    places = np.zeros((1024, 2), np.int64)
    indexed = 0
    carried_tag = np.empty(64, np.int64)
    carried_amount = np.empty(64, np.float64)
    seeds = (seed_keys, seed_sums, 0)
    for p in range(orig.shape[0]):
        o, b, v = orig[p], bene[p], value[p]
        is_source = source_start[o + 1] > source_start[o]
        if not is_source and (size[o] == 0 or total[o] <= 0):  # untraced money only
            total[o] = max(0.0, total[o] - v)
            total[b] += v
            continue
        first, n = start[o], size[o]
        if is_source:
            first, n = source_start[o], source_start[o + 1] - source_start[o]
        if n > carried_tag.shape[0]:
            carried_tag, carried_amount = grow(carried_tag, n), grow(carried_amount, n)
        if is_source:
            carried_tag[:n] = source_tags[first : first + n]
            carried_amount[:n] = v
        else:
            share = min(1.0, v / total[o])
            for i in range(n):
                carried_tag[i] = arena_tag[first + i]
                carried_amount[i] = arena_amount[first + i] * share
            if share >= 1.0:
                size[o] = 0
                generation[o] += 1
            else:
                for i in range(n):
                    arena_amount[first + i] -= carried_amount[i]
            total[o] = max(0.0, total[o] - v)
        total[b] += v
        for i in range(n):
            moved = carried_amount[i]
            new, seeds = arrive(
                p, b, carried_tag[i], moved, is_seed, shape, weights, min_amount, totals, seeds
            )
            if new < 0:
                continue
            if 2 * (indexed + 1) > index.shape[0]:
                index, places = reserve(index, places, indexed)
            key = b * tag_count + new
            at = place(index, key)
            if index[at] == key and places[at, 1] == generation[b]:
                arena_amount[start[b] + places[at, 0]] += moved
                continue
            if index[at] == EMPTY:
                index[at] = key
                indexed += 1
            places[at, 0], places[at, 1] = size[b], generation[b]
            if size[b] == room[b]:  # move the pool's segment to a place twice its size
                room[b] = max(4, 2 * room[b])
                arena_tag = grow(arena_tag, used + room[b])
                arena_amount = grow(arena_amount, used + room[b])
                arena_tag[used : used + size[b]] = arena_tag[start[b] : start[b] + size[b]]
                arena_amount[used : used + size[b]] = arena_amount[start[b] : start[b] + size[b]]
                start[b] = used
                used += room[b]
            arena_tag[start[b] + size[b]] = new
            arena_amount[start[b] + size[b]] = moved
            size[b] += 1
    return seeds[0], seeds[1]
