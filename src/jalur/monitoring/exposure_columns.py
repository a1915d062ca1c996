"""The exposure table's columns, from the two directions' added-up arrivals (`Traced`).

Whole columns at a time with numpy and Arrow; every figure is what the row-by-row Python
measure gave: Python's rounding, seeds ranked by amount then name, carrying payments sorted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jalur.monitoring.exposure_codes import Accounts, Frame
from jalur.monitoring.exposure_kernel import Arrivals

#: Seeds named per account and topic: those that sent (or received) the most of its money.
TOP_SEEDS = 5


@dataclass(frozen=True)
class Traced:
    """One direction's arrivals, with what is needed to read them: each account's inflow
    (by code) and its frame (whose bene and tx_id a carrier's index names)."""

    arrivals: Arrivals
    inflow: np.ndarray
    frame: Frame


def scores(
    rows: np.ndarray,
    topics: int,
    accounts: Accounts,
    names: list[str],
    down: Traced,
    up: Traced,
) -> dict[str, pa.Array]:
    """Account, topic, the shares in and out and the larger as score, fewest hops, amount."""
    account = rows // topics
    share_in = _share(down.arrivals.weighted[rows], down.inflow[account])
    share_out = _share(up.arrivals.weighted[rows], up.inflow[account])
    amount = down.arrivals.amount[rows] + up.arrivals.amount[rows]
    hops = np.minimum(down.arrivals.hops[rows], up.arrivals.hops[rows])
    return {
        "account": accounts.names.take(pa.array(account)),
        "topic": pa.array(names, pa.string()).take(pa.array(rows % topics)),
        "score": rounded(np.maximum(share_in, share_out), 6),
        "share_in": rounded(share_in, 6),
        "share_out": rounded(share_out, 6),
        "hops": pa.array(hops, pa.int32()),
        "amount": rounded(amount, 2),
    }


def _share(weighted: np.ndarray, inflow: np.ndarray) -> np.ndarray:
    """Traced share of an account's flow, at most 1 (0 where it has no flow)."""
    flowing = inflow != 0
    ratio = weighted / np.where(flowing, inflow, 1.0)
    return np.where(flowing, np.minimum(1.0, ratio), 0.0)


def rounded(values: np.ndarray, digits: int) -> pa.Array:
    """Python's `round(value, digits)`, quickly: numpy's scale-round-unscale gives the same
    float except where the scaled value is too near a half to tell (the scaling may have
    rounded it across) or too large; those few take Python's correctly rounded way."""
    with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite: Python's way
        scaled = values * 10.0**digits
        quick = np.rint(scaled) / 10.0**digits
        near_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= 1e-9 * np.abs(scaled)
    doubtful = np.flatnonzero(near_half | ~(np.abs(scaled) < 2.0**52))
    quick[doubtful] = [round(value, digits) for value in values[doubtful].tolist()]
    return pa.array(quick, pa.float64())


def top_seeds(
    row_of: np.ndarray, rows: int, seed_names: list[str], down: Traced, up: Traced
) -> pa.Array:
    """Per row, the seeds that brought it the most traced money (name breaks ties). Where a
    seed reached the account both ways, its amount downstream counts (as it always has)."""
    up_only = _absent(up.arrivals.seed_keys, down.arrivals.seed_keys)
    keys = np.concatenate([down.arrivals.seed_keys, up.arrivals.seed_keys[up_only]])
    amounts = np.concatenate([down.arrivals.seed_amounts, up.arrivals.seed_amounts[up_only]])
    row = row_of[keys // len(seed_names)]
    seed = keys % len(seed_names)
    order = np.lexsort((seed, -amounts, row))
    order = order[row[order] >= 0]
    row, seed = row[order], seed[order]
    rank = np.arange(row.size) - np.searchsorted(row, row)
    top = rank < TOP_SEEDS
    names = pa.array(seed_names, pa.string())
    return _lists(row[top], rows, names.take(pa.array(seed[top])))


def _absent(keys: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Which `keys` are not in `among` (quicker than `np.isin` for two large key sets)."""
    known = np.append(np.sort(among), -1)  # -1: no key, so a search past the end misses
    missing: np.ndarray = known[np.searchsorted(known[:-1], keys)] != keys
    return missing


def carriers(
    row_of: np.ndarray, rows: int, topics: int, tx_ids: pa.ChunkedArray, down: Traced, up: Traced
) -> pa.Array:
    """Per row, the payments that brought it traced money of its topic, either way, sorted."""
    found = []
    for traced, topic in itertools.product((down, up), range(topics)):
        carrier = np.flatnonzero(traced.arrivals.carried & (1 << topic))
        row = row_of[traced.frame.payments.bene[carrier] * topics + topic]
        kept = row >= 0
        tx_id = tx_ids.take(pa.array(traced.frame.order[carrier[kept]]))
        found.append(pa.table({"row": row[kept], "tx_id": tx_id}))
    both = pa.concat_tables(found).sort_by([("row", "ascending"), ("tx_id", "ascending")])
    row = both["row"].to_numpy()
    tx_id = both["tx_id"].combine_chunks()
    fresh = np.ones(row.size, np.bool_)
    if row.size > 1:
        same_tx = pc.equal(tx_id.slice(1), tx_id.slice(0, row.size - 1))
        fresh[1:] = (row[1:] != row[:-1]) | ~same_tx.to_numpy(zero_copy_only=False)
    return _lists(row[fresh], rows, tx_id.filter(pa.array(fresh)))


def _lists(row: np.ndarray, rows: int, values: pa.Array) -> pa.Array:
    """Values grouped by (ascending) row into one list per row, empty where it has none."""
    offsets = np.zeros(rows + 1, np.int32)
    np.cumsum(np.bincount(row, minlength=rows), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)
