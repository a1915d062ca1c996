"""Exposure: how close each account's money is to terror- and drug-listed parties.

For every account and topic, the share of its money that the flow kernel can trace, within
`max_hops` time-respecting hops, from seed accounts (money in: downstream of drug proceeds)
or onward to seed accounts (money out: upstream of a terror financier), each hop beyond the
first discounted by `decay`. The larger of the two shares is the account's exposure for that
topic. Terror and drug exposure are measured separately and never mixed: a drug trafficker's
bank account is not a terrorist's.

The replay is the flow kernel's rule compiled over integer tags (`exposure_kernel`); the
table is put together from its totals with Arrow and numpy, not row by row.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jalur.monitoring.detectors.base import Params
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.exposure_codes import Accounts, Frame, coded, frames, tags
from jalur.monitoring.exposure_kernel import Arrivals, Tags, replay_exposure
from jalur.monitoring.flow import ALLOCATIONS
from jalur.monitoring.reach import EDGE_SCHEMA

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

#: Every payment: the compiled replay is quicker than narrowing them down on the engine.
PAYMENTS = "SELECT tx_id, orig, bene, ts, value FROM mon_edges"

#: Traced money below this is no longer followed (`flow.replay`'s default).
MIN_AMOUNT = 0.01

#: Seeds named per account and topic: those that sent (or received) the most of its money.
TOP_SEEDS = 5


@dataclass(frozen=True)
class Traced:
    """One direction's arrivals, with what is needed to read them: each account's inflow
    (by code) and its frame (whose bene and tx_id a carrier's index names)."""

    arrivals: Arrivals
    inflow: np.ndarray
    frame: Frame


def measure(engine: Engine, seeds: Mapping[str, frozenset[str]], params: Params) -> pa.Table:
    """Exposure of every reached account, per topic (a topic's own seeds excluded).

    All topics ride in one replay per direction, each carrying its own tags, so the
    payments are replayed twice in all, not twice per topic."""
    allocation = str(params["allocation"])
    if allocation not in ALLOCATIONS:
        raise ValueError(f"unknown allocation {allocation!r} (known: {', '.join(ALLOCATIONS)})")
    seeds = {topic: accounts for topic, accounts in sorted(seeds.items()) if accounts}
    if not seeds:
        return EXPOSURE_SCHEMA.empty_table()
    return exposure_of(engine.query(PAYMENTS).cast(EDGE_SCHEMA), seeds, params)


def exposure_of(edges: pa.Table, seeds: Mapping[str, frozenset[str]], params: Params) -> pa.Table:
    """`measure` over payments in `EDGE_SCHEMA` (seeds: non-empty, topics in order)."""
    allocation = str(params["allocation"])
    every = set().union(*seeds.values())
    accounts, orig, bene = coded(edges, seeds)
    tagged = tags(seeds, accounts, int(params["max_hops"]), float(params["decay"]), MIN_AMOUNT)
    down, up = (
        _trace(frame, len(accounts), tagged, allocation) for frame in frames(edges, orig, bene)
    )
    rows = _rows(tagged.is_seed, down, up)
    row_of = np.full(tagged.is_seed.size, -1, np.int64)  # row number by key (-1: no row)
    row_of[rows] = np.arange(rows.size)
    return pa.table(
        {
            **_scores(rows, len(seeds), accounts, list(seeds), down, up),
            "seeds": _top_seeds(row_of, rows.size, sorted(every), down, up),
            "tx_ids": _carriers(row_of, rows.size, len(seeds), edges["tx_id"], down, up),
        },
        schema=EXPOSURE_SCHEMA,
    )


def _trace(frame: Frame, accounts: int, tagged: Tags, allocation: str) -> Traced:
    """Replay one direction; an account's inflow (the share's denominator) is summed in
    replay order, so the figures are the same on every run and engine."""
    payments = frame.payments
    arrivals = replay_exposure(payments, tagged, accounts, allocation == "fifo")
    inflow = np.bincount(payments.bene, weights=payments.value, minlength=accounts)
    return Traced(arrivals, inflow, frame)


def _rows(is_seed: np.ndarray, down: Traced, up: Traced) -> np.ndarray:
    """Keys (account * topics + topic) of the rows: reached, not a seed of the topic; by
    topic, then account (codes follow names)."""
    topics = is_seed.shape[0]
    keep = (down.arrivals.reached | up.arrivals.reached) & ~is_seed.T.reshape(-1)
    keys = np.flatnonzero(keep)
    return keys[np.lexsort((keys // topics, keys % topics))]


def _scores(
    rows: np.ndarray,
    topics: int,
    accounts: Accounts,
    names: list[str],
    down: Traced,
    up: Traced,
) -> dict[str, pa.Array]:
    account = rows // topics
    share_in = _share(down.arrivals.weighted[rows], down.inflow[account])
    share_out = _share(up.arrivals.weighted[rows], up.inflow[account])
    amount = down.arrivals.amount[rows] + up.arrivals.amount[rows]
    hops = np.minimum(down.arrivals.hops[rows], up.arrivals.hops[rows])
    return {
        "account": accounts.names.take(pa.array(account)),
        "topic": pa.array(names, pa.string()).take(pa.array(rows % topics)),
        "score": _rounded(np.maximum(share_in, share_out), 6),
        "share_in": _rounded(share_in, 6),
        "share_out": _rounded(share_out, 6),
        "hops": pa.array(hops, pa.int32()),
        "amount": _rounded(amount, 2),
    }


def _share(weighted: np.ndarray, inflow: np.ndarray) -> np.ndarray:
    """Traced share of an account's flow, at most 1 (0 where it has no flow)."""
    flowing = inflow != 0
    ratio = weighted / np.where(flowing, inflow, 1.0)
    return np.where(flowing, np.minimum(1.0, ratio), 0.0)


def _rounded(values: np.ndarray, digits: int) -> pa.Array:
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


def _top_seeds(
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


def _carriers(
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
