"""The flow kernel's replay for exposure, compiled: the same rules over integer tags.

`flow.replay` follows any hashable tag in plain Python; exposure only ever tags money with
(topic, seed, hops), which packs into one integer, `(topic * seeds + seed) * span + hops`
with `span = max_hops + 1`. Over integers the replay compiles (numba) and runs each payment
in well under a microsecond, so millions of live payments take seconds, not minutes.

It does exactly what `flow.replay` does, in the same order of floating-point operations:
a pool's tagged parts keep their insertion order (a dict), a proportional payment carries
each part times its share, a FIFO payment takes lots oldest first, and carried money below
`min_amount`, past `max_hops` or arriving at a seed of its own topic is no longer followed.
Instead of yielding every arrival it adds it up at once, per (receiving account, topic): the
hop-weighted and plain amounts, the fewest hops, the amount per seed, and which payments
carried it (`Arrivals`). `tests/monitoring/test_mon_exposure_kernel.py` checks it against
`flow.replay` on random graphs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numba import types
from numba.typed import Dict

F = TypeVar("F", bound=Callable[..., Any])

#: Compiled once, then cached on disk beside the module (numba falls back to a user cache).
compiled = cast(Callable[[F], F], numba.njit(cache=True, nogil=True))

#: The fewest hops of an account that money never reached (as `exposure._Traced` has it).
UNREACHED = 99

#: A lot of untraced money in a FIFO pool.
CLEAN = -1

#: A lot this small is spent (as in `flow._take_fifo`).
SPENT = 1e-9


@dataclass(frozen=True)
class Payments:
    """Every payment in one direction's replay order, accounts as integer codes."""

    orig: np.ndarray
    bene: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class Tags:
    """What the tags mean: where tagged money starts and where it stops.

    `source_start`/`source_tags`: each account's hop-0 tags (CSR, topics in order);
    `is_seed[topic, account]`: money of that topic stops there; `weights[h]`: decay^(h-1)."""

    source_start: np.ndarray
    source_tags: np.ndarray
    is_seed: np.ndarray
    seeds: int
    max_hops: int
    weights: np.ndarray
    min_amount: float


@dataclass(frozen=True)
class Arrivals:
    """Traced money that arrived, per (account, topic) key `account * topics + topic`.

    `seed_keys`/`seed_amounts`: per `key * seeds + seed`; `carried_by`/`carried_topic`:
    each payment (index into `Payments`) that brought money of a topic, once per topic."""

    weighted: np.ndarray
    amount: np.ndarray
    hops: np.ndarray
    reached: np.ndarray
    seed_keys: np.ndarray
    seed_amounts: np.ndarray
    carried_by: np.ndarray
    carried_topic: np.ndarray


def replay_exposure(
    payments: Payments, tags: Tags, accounts: int, topics: int, fifo: bool
) -> Arrivals:
    """Replay `payments` from empty pools and add up the traced money that arrived."""
    kernel = _fifo if fifo else _proportional
    result = kernel(
        payments.orig,
        payments.bene,
        payments.value,
        accounts,
        tags.source_start,
        tags.source_tags,
        tags.is_seed,
        tags.seeds,
        tags.max_hops,
        tags.weights,
        tags.min_amount,
        topics,
    )
    return Arrivals(*result)


@compiled
def _grow(array: np.ndarray, needed: int) -> np.ndarray:
    """`array`, or a copy at least twice as long when it has fewer than `needed` places."""
    if needed <= array.shape[0]:
        return array
    bigger = np.empty(max(needed, 2 * array.shape[0]), array.dtype)
    bigger[: array.shape[0]] = array
    return bigger


@compiled
def _new_totals(accounts: int, topics: int) -> tuple[np.ndarray, ...]:
    keys = accounts * topics
    hops = np.full(keys, UNREACHED, np.int64)
    return np.zeros(keys), np.zeros(keys), hops, np.zeros(keys, np.bool_)


@compiled
def _extended(tag: int, bene: int, is_seed: np.ndarray, per_topic: int, span: int) -> int:
    """The tag of money after a hop into `bene`, or -1 where it is no longer followed."""
    if tag % span >= span - 1 or is_seed[tag // per_topic, bene]:
        return -1
    return tag + 1


@compiled
def _seed_arrays(by_seed: Any) -> tuple[np.ndarray, np.ndarray]:
    keys = np.empty(len(by_seed), np.int64)
    amounts = np.empty(len(by_seed), np.float64)
    for i, (key, amount) in enumerate(by_seed.items()):
        keys[i] = key
        amounts[i] = amount
    return keys, amounts


@compiled
def _proportional(
    orig: np.ndarray,
    bene: np.ndarray,
    value: np.ndarray,
    accounts: int,
    source_start: np.ndarray,
    source_tags: np.ndarray,
    is_seed: np.ndarray,
    seeds: int,
    max_hops: int,
    weights: np.ndarray,
    min_amount: float,
    topics: int,
) -> tuple[np.ndarray, ...]:
    """`flow.replay` with proportional allocation (`_take_proportional`, `_arrive`)."""
    span = max_hops + 1
    per_topic = seeds * span
    tag_count = topics * per_topic
    total = np.zeros(accounts)
    # each pool's tagged parts: a segment of the arena, in insertion order, found by `where`
    start = np.zeros(accounts, np.int64)
    size = np.zeros(accounts, np.int64)
    room = np.zeros(accounts, np.int64)
    arena_tag = np.empty(1024, np.int64)
    arena_amount = np.empty(1024, np.float64)
    used = 0
    where = Dict.empty(types.int64, types.int64)
    carried_tag = np.empty(64, np.int64)
    carried_amount = np.empty(64, np.float64)
    weighted, amount, hops, reached = _new_totals(accounts, topics)
    by_seed = Dict.empty(types.int64, types.float64)
    carried_by = np.empty(1024, np.int64)
    carried_topic = np.empty(1024, np.int64)
    marks = 0
    last_marked = np.full(topics, -1, np.int64)
    for p in range(orig.shape[0]):
        o, b, v = orig[p], bene[p], value[p]
        n = 0
        if source_start[o + 1] > source_start[o]:
            n = source_start[o + 1] - source_start[o]
            carried_tag = _grow(carried_tag, n)
            carried_amount = _grow(carried_amount, n)
            for i in range(n):
                carried_tag[i] = source_tags[source_start[o] + i]
                carried_amount[i] = v
        else:
            if total[o] <= 0 or size[o] == 0:
                total[o] = max(0.0, total[o] - v)
            else:
                share = min(1.0, v / total[o])
                n = size[o]
                carried_tag = _grow(carried_tag, n)
                carried_amount = _grow(carried_amount, n)
                s = start[o]
                for i in range(n):
                    carried_tag[i] = arena_tag[s + i]
                    carried_amount[i] = arena_amount[s + i] * share
                if share >= 1.0:
                    for i in range(n):
                        del where[o * tag_count + arena_tag[s + i]]
                    size[o] = 0
                else:
                    for i in range(n):
                        arena_amount[s + i] -= carried_amount[i]
                total[o] = max(0.0, total[o] - v)
        total[b] += v
        for i in range(n):
            moved = carried_amount[i]
            new = _extended(carried_tag[i], b, is_seed, per_topic, span)
            if moved < min_amount or new < 0:
                continue
            topic = new // per_topic
            key = b * topics + topic
            weighted[key] += moved * weights[new % span]
            amount[key] += moved
            hops[key] = min(hops[key], new % span)
            reached[key] = True
            seed_key = key * seeds + (new // span) % seeds
            by_seed[seed_key] = by_seed.get(seed_key, 0.0) + moved
            if last_marked[topic] != p:
                last_marked[topic] = p
                carried_by = _grow(carried_by, marks + 1)
                carried_topic = _grow(carried_topic, marks + 1)
                carried_by[marks] = p
                carried_topic[marks] = topic
                marks += 1
            slot = where.get(b * tag_count + new, -1)
            if slot >= 0:
                arena_amount[start[b] + slot] += moved
                continue
            if size[b] == room[b]:  # move the pool's segment to a place twice its size
                room[b] = max(4, 2 * room[b])
                arena_tag = _grow(arena_tag, used + room[b])
                arena_amount = _grow(arena_amount, used + room[b])
                arena_tag[used : used + size[b]] = arena_tag[start[b] : start[b] + size[b]]
                arena_amount[used : used + size[b]] = arena_amount[start[b] : start[b] + size[b]]
                start[b] = used
                used += room[b]
            arena_tag[start[b] + size[b]] = new
            arena_amount[start[b] + size[b]] = moved
            where[b * tag_count + new] = size[b]
            size[b] += 1
    seed_keys, seed_amounts = _seed_arrays(by_seed)
    return (
        weighted,
        amount,
        hops,
        reached,
        seed_keys,
        seed_amounts,
        carried_by[:marks].copy(),
        carried_topic[:marks].copy(),
    )


@compiled
def _fifo(
    orig: np.ndarray,
    bene: np.ndarray,
    value: np.ndarray,
    accounts: int,
    source_start: np.ndarray,
    source_tags: np.ndarray,
    is_seed: np.ndarray,
    seeds: int,
    max_hops: int,
    weights: np.ndarray,
    min_amount: float,
    topics: int,
) -> tuple[np.ndarray, ...]:
    """`flow.replay` with FIFO allocation (`_take_fifo`, `_arrive`)."""
    span = max_hops + 1
    per_topic = seeds * span
    total = np.zeros(accounts)
    # each pool's lots: a segment of the arena, oldest at `head`, newest before `tail`
    start = np.zeros(accounts, np.int64)
    head = np.zeros(accounts, np.int64)
    tail = np.zeros(accounts, np.int64)
    room = np.zeros(accounts, np.int64)
    lot_tag = np.empty(1024, np.int64)
    lot_amount = np.empty(1024, np.float64)
    used = 0
    # what one payment carries, per tag in the order first taken (`slot`: its place, or -1)
    slot = np.full(topics * per_topic, -1, np.int64)
    carried_tag = np.empty(64, np.int64)
    carried_amount = np.empty(64, np.float64)
    weighted, amount, hops, reached = _new_totals(accounts, topics)
    by_seed = Dict.empty(types.int64, types.float64)
    carried_by = np.empty(1024, np.int64)
    carried_topic = np.empty(1024, np.int64)
    marks = 0
    last_marked = np.full(topics, -1, np.int64)
    for p in range(orig.shape[0]):
        o, b, v = orig[p], bene[p], value[p]
        n = 0
        if source_start[o + 1] > source_start[o]:
            n = source_start[o + 1] - source_start[o]
            carried_tag = _grow(carried_tag, n)
            carried_amount = _grow(carried_amount, n)
            for i in range(n):
                carried_tag[i] = source_tags[source_start[o] + i]
                carried_amount[i] = v
        else:
            left = v
            while left > 0 and head[o] < tail[o]:
                lot = start[o] + head[o]
                taken = min(left, lot_amount[lot])
                tag = lot_tag[lot]
                if tag != CLEAN:
                    if slot[tag] < 0:
                        carried_tag = _grow(carried_tag, n + 1)
                        carried_amount = _grow(carried_amount, n + 1)
                        slot[tag] = n
                        carried_tag[n] = tag
                        carried_amount[n] = taken
                        n += 1
                    else:
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
            new = _extended(carried_tag[i], b, is_seed, per_topic, span)
            if moved < min_amount or new < 0:
                continue
            topic = new // per_topic
            key = b * topics + topic
            weighted[key] += moved * weights[new % span]
            amount[key] += moved
            hops[key] = min(hops[key], new % span)
            reached[key] = True
            seed_key = key * seeds + (new // span) % seeds
            by_seed[seed_key] = by_seed.get(seed_key, 0.0) + moved
            if last_marked[topic] != p:
                last_marked[topic] = p
                carried_by = _grow(carried_by, marks + 1)
                carried_topic = _grow(carried_topic, marks + 1)
                carried_by[marks] = p
                carried_topic[marks] = topic
                marks += 1
            clean -= moved
            lot_tag, lot_amount, used = _push(
                b, new, moved, start, head, tail, room, lot_tag, lot_amount, used
            )
        if n == 0 or clean > 0:
            lot_tag, lot_amount, used = _push(
                b, CLEAN, v if n == 0 else clean, start, head, tail, room, lot_tag, lot_amount, used
            )
    seed_keys, seed_amounts = _seed_arrays(by_seed)
    return (
        weighted,
        amount,
        hops,
        reached,
        seed_keys,
        seed_amounts,
        carried_by[:marks].copy(),
        carried_topic[:marks].copy(),
    )


@compiled
def _push(
    account: int,
    tag: int,
    amount: float,
    start: np.ndarray,
    head: np.ndarray,
    tail: np.ndarray,
    room: np.ndarray,
    lot_tag: np.ndarray,
    lot_amount: np.ndarray,
    used: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Append a lot to an account's FIFO pool; a full segment moves to the front of itself
    (spent lots dropped) or, when the pool is over half full, to a new place twice its size."""
    if tail[account] == room[account]:
        live = tail[account] - head[account]
        first = start[account] + head[account]
        if 2 * live > room[account] or room[account] == 0:
            room[account] = max(4, 2 * live)
            lot_tag = _grow(lot_tag, used + room[account])
            lot_amount = _grow(lot_amount, used + room[account])
            start[account] = used
            used += room[account]
        lot_tag[start[account] : start[account] + live] = lot_tag[first : first + live].copy()
        lot_amount[start[account] : start[account] + live] = lot_amount[first : first + live].copy()
        head[account] = 0
        tail[account] = live
    lot_tag[start[account] + tail[account]] = tag
    lot_amount[start[account] + tail[account]] = amount
    tail[account] += 1
    return lot_tag, lot_amount, used
