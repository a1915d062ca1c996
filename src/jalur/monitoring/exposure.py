"""Exposure: how close each account's money is to terror- and drug-listed parties.

For every account and topic, the share of its money that the flow kernel can trace, within
`max_hops` time-respecting hops, from seed accounts (money in: downstream of drug proceeds)
or onward to seed accounts (money out: upstream of a terror financier), each hop beyond the
first discounted by `decay`. The larger of the two shares is the account's exposure for that
topic. Terror and drug exposure are measured separately and never mixed: a drug trafficker's
bank account is not a terrorist's.

The replay is the flow kernel's rule compiled over integer tags (`exposure_kernel`); the
table is put together from its totals with Arrow and numpy (`exposure_columns`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from jalur.monitoring.detectors.base import Params
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.exposure_codes import Frame, coded, frames, tags
from jalur.monitoring.exposure_columns import Traced, carriers, scores, top_seeds
from jalur.monitoring.exposure_kernel import Tags, replay_exposure
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
            **scores(rows, len(seeds), accounts, list(seeds), down, up),
            "seeds": top_seeds(row_of, rows.size, sorted(every), down, up),
            "tx_ids": carriers(row_of, rows.size, len(seeds), edges["tx_id"], down, up),
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
