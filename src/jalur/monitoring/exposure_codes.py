"""Accounts, payments and seeds as the integer arrays the compiled exposure replay reads.

Account codes are positions in the sorted list of every account the payments or seeds
mention, so ordering by code is ordering by account name; seed numbers likewise follow seed
names. Each direction is a forward-in-time frame, as in `reach`: downstream replays the
payments by (time, tx_id); upstream swaps payer and payee and replays them by (-time, tx_id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jalur.monitoring.exposure_kernel import Payments, Tags

DIRECTIONS = ("down", "up")


@dataclass(frozen=True)
class Accounts:
    """Every account the payments or seeds mention, sorted; an account's code is its place."""

    names: pa.Array

    def __len__(self) -> int:
        return len(self.names)

    def codes(self, accounts: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return np.asarray(pc.index_in(accounts, value_set=self.names).to_numpy(), np.int64)


@dataclass(frozen=True)
class Frame:
    """One direction's payments in replay order; `order[i]` is the row of `edges` replayed
    i-th (to find a carrying payment's tx_id)."""

    payments: Payments
    order: np.ndarray


def coded(
    edges: pa.Table, seeds: Mapping[str, frozenset[str]]
) -> tuple[Accounts, np.ndarray, np.ndarray]:
    """The accounts, and the payer and payee codes of every payment (one hashing pass)."""
    listed = pa.array(sorted(set().union(*seeds.values())), pa.string())
    mentioned = pa.chunked_array([*edges["orig"].chunks, *edges["bene"].chunks, listed])
    encoded = pc.dictionary_encode(mentioned.combine_chunks())
    by_name = pc.array_sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(by_name.size, np.int64)
    rank[by_name] = np.arange(by_name.size)
    codes = rank[encoded.indices.to_numpy()]
    payments = len(edges)
    accounts = Accounts(encoded.dictionary.take(pa.array(by_name)))
    return accounts, codes[:payments], codes[payments : 2 * payments]


def frames(edges: pa.Table, orig: np.ndarray, bene: np.ndarray) -> list[Frame]:
    """The downstream and the upstream frame of the same payments (accounts as codes)."""
    value = np.asarray(edges["value"].to_numpy(), np.float64)
    found = []
    for direction in DIRECTIONS:
        time = "ascending" if direction == "down" else "descending"
        order = pc.sort_indices(edges, [("ts", time), ("tx_id", "ascending")]).to_numpy()
        payer, payee = (orig, bene) if direction == "down" else (bene, orig)
        found.append(Frame(Payments(payer[order], payee[order], value[order]), order))
    return found


def tags(
    seeds: Mapping[str, frozenset[str]],
    accounts: Accounts,
    max_hops: int,
    decay: float,
    min_amount: float,
) -> Tags:
    """Hop-0 tags of each seed account (one per topic it is a seed of, topics in order), and
    each hop's weight (decay^(hops - 1); hop 0, money still at its seed, is never weighed)."""
    names = sorted(set().union(*seeds.values()))
    number = {name: n for n, name in enumerate(names)}
    span = max_hops + 1
    is_seed = np.zeros((len(seeds), len(accounts)), np.bool_)
    per_seed: list[list[int]] = [[] for _ in names]
    for topic, (_, members) in enumerate(sorted(seeds.items())):
        is_seed[topic, accounts.codes(pa.array(sorted(members), pa.string()))] = True
        for member in sorted(members):
            per_seed[number[member]].append((topic * len(names) + number[member]) * span)
    counts = np.zeros(len(accounts) + 1, np.int64)
    counts[accounts.codes(pa.array(names, pa.string())) + 1] = [len(t) for t in per_seed]
    return Tags(
        source_start=np.cumsum(counts),
        source_tags=np.array([t for tags in per_seed for t in tags], np.int64),
        is_seed=is_seed,
        seeds=len(names),
        max_hops=max_hops,
        weights=np.array([decay ** (hops - 1) if hops else 0.0 for hops in range(span)]),
        min_amount=min_amount,
    )
