"""What the compiled exposure replays do when traced money arrives: follow it or not, and
add it up per (receiving account, topic), as `exposure` used to from every `flow.Hop`."""

from __future__ import annotations

import numpy as np

from jalur.monitoring.compiled import EMPTY, compiled, new_table, place, reserve

#: weighted, amount, hops, reached per (account, topic); carried per payment.
Totals = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]

#: The fewest hops of an account that money never reached (as `exposure` always had it).
UNREACHED = 99


@compiled
def extended(tag: int, bene: int, is_seed: np.ndarray, per_topic: int, span: int) -> int:
    """The tag of money after a hop into `bene`, or -1 where it is no longer followed: past
    `max_hops` (`span - 1`), or at a seed of its own topic."""
    if tag % span >= span - 1 or is_seed[tag // per_topic, bene]:
        return -1
    return tag + 1


def new_totals(accounts: int, topics: int, payments: int) -> Totals:
    """Per (account, topic) key: weighted and plain amounts, fewest hops, reached; per
    payment: the topics whose money it brought (one bit each)."""
    keys = accounts * topics
    hops = np.full(keys, UNREACHED, np.int64)
    carried = np.zeros(payments, np.uint8)
    return np.zeros(keys), np.zeros(keys), hops, np.zeros(keys, np.bool_), carried


def new_seed_table() -> tuple[np.ndarray, np.ndarray]:
    """Amount per (account, topic, seed) key: `key * seeds + seed`."""
    return new_table(1024, 1, np.float64)


@compiled
def record(
    payment: int,
    bene: int,
    tag: int,
    moved: float,
    shape: tuple[int, int, int, int],
    weights: np.ndarray,
    totals: Totals,
) -> int:
    """Add one arrival of `moved` with `tag` (already extended) into `bene`; returns its
    key in the seed table (`shape`: topics, seeds, per_topic, span)."""
    topics, seeds, per_topic, span = shape
    weighted, amount, hops, reached, carried = totals
    topic, hop = tag // per_topic, tag % span
    key = bene * topics + topic
    weighted[key] += moved * weights[hop]
    amount[key] += moved
    hops[key] = min(hops[key], hop)
    reached[key] = True
    carried[payment] |= 1 << topic
    return key * seeds + (tag // span) % seeds


@compiled
def add(keys: np.ndarray, sums: np.ndarray, key: int, amount: float) -> int:
    """Add `amount` to `key`'s sum in a table with room for it; 1 where the key is new."""
    at = place(keys, key)
    sums[at, 0] += amount
    if keys[at] == EMPTY:
        keys[at] = key
        return 1
    return 0


@compiled
def arrive(
    payment: int,
    bene: int,
    tag: int,
    moved: float,
    is_seed: np.ndarray,
    shape: tuple[int, int, int, int],
    weights: np.ndarray,
    min_amount: float,
    totals: Totals,
    seeds: tuple[np.ndarray, np.ndarray, int],
) -> tuple[int, tuple[np.ndarray, np.ndarray, int]]:
    """One part (`tag`, `moved`) of a payment arriving in `bene`, in both replays: its tag
    after the hop, or -1 where it is not followed (too small, or `extended` stops it), and
    the seed table (keys, sums, count), grown as needed, with the arrival added."""
    new = extended(tag, bene, is_seed, shape[2], shape[3])
    if moved < min_amount or new < 0:
        return -1, seeds
    seed_keys, seed_sums, seed_count = seeds
    seed_key = record(payment, bene, new, moved, shape, weights, totals)
    if 2 * (seed_count + 1) > seed_keys.shape[0]:
        seed_keys, seed_sums = reserve(seed_keys, seed_sums, seed_count)
    seed_count += add(seed_keys, seed_sums, seed_key, moved)
    return new, (seed_keys, seed_sums, seed_count)


def seed_amounts(keys: np.ndarray, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    used = keys != EMPTY
    return keys[used].copy(), sums[used, 0].copy()
