"""The flow kernel's replay for exposure, compiled: the same rules over integer tags.

`flow.replay` follows any hashable tag in plain Python; exposure only ever tags money with
(topic, seed, hops), which packs into one integer, `(topic * seeds + seed) * span + hops`
with `span = max_hops + 1`. Over integers the replay compiles (numba: `compiled`) and takes
well under a microsecond a payment, so all of millions of payments replay in seconds.

It does exactly what `flow.replay` does from empty pools, in the same order of
floating-point operations (`exposure_proportional`, `exposure_fifo`): a pool's tagged parts
keep their insertion order, a proportional payment carries each part times its share, a
FIFO payment takes lots oldest first, and carried money below `min_amount`, past `max_hops`
or arriving at a seed of its own topic is no longer followed. Instead of yielding every
arrival it adds them up at once (`exposure_arrivals`). `tests/monitoring/
test_mon_exposure_kernel.py` checks the whole measure against `flow.replay` on random graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jalur.monitoring.exposure_arrivals import new_seed_table, new_totals, seed_amounts
from jalur.monitoring.exposure_fifo import replay_fifo
from jalur.monitoring.exposure_proportional import replay_proportional

#: Topics a payment can carry at once (one bit each in `Arrivals.carried`).
MAX_TOPICS = 8


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

    @property
    def topics(self) -> int:
        return int(self.is_seed.shape[0])


@dataclass(frozen=True)
class Arrivals:
    """Traced money that arrived, per (account, topic) key `account * topics + topic`.

    `carried[p]`: bit t set where payment p brought money of topic t; `seed_keys` and
    `seed_amounts`: how much of it came from (or went to) each seed, per
    `key * seeds + seed`."""

    weighted: np.ndarray
    amount: np.ndarray
    hops: np.ndarray
    reached: np.ndarray
    carried: np.ndarray
    seed_keys: np.ndarray
    seed_amounts: np.ndarray


def replay_exposure(payments: Payments, tags: Tags, accounts: int, fifo: bool) -> Arrivals:
    """Replay `payments` from empty pools and add up the traced money that arrived."""
    if tags.topics > MAX_TOPICS:
        raise ValueError(f"at most {MAX_TOPICS} topics at once, not {tags.topics}")
    span = tags.max_hops + 1
    shape = (tags.topics, tags.seeds, tags.seeds * span, span)
    kernel = replay_fifo if fifo else replay_proportional
    totals = new_totals(accounts, tags.topics, payments.orig.size)
    seed_keys, seed_sums = kernel(
        payments.orig,
        payments.bene,
        payments.value,
        accounts,
        tags.source_start,
        tags.source_tags,
        tags.is_seed,
        shape,
        tags.weights,
        tags.min_amount,
        totals,
        *new_seed_table(),
    )
    return Arrivals(*totals, *seed_amounts(seed_keys, seed_sums))
