"""Narrowing the flow kernel's input must not change what it traces.

The exposure kernel replays only the payments that can carry or dilute traced money, starting
reached accounts from their opening balance. On random graphs (payments of every size, also
out of accounts before traced money reaches them, so pools clamp at zero), that must give the
same arrivals as replaying every payment."""

from __future__ import annotations

import random

import pytest
from monitoring_builders import at, load, pay

from jalur.monitoring import stage, unstage
from jalur.monitoring.flow import replay
from jalur.monitoring.reach import _FRAME, EDGE_SCHEMA, flow_input

ACCOUNTS = [f"A{i}" for i in range(12)]
SEEDS = {"A0", "A1"}


def random_payments(seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for i in range(160):
        orig, bene = rng.sample(ACCOUNTS, 2)
        when = at(rng.randint(0, 30), rng.randint(0, 23))
        rows.append(pay(f"t{i:03d}", orig, bene, when, float(rng.choice([5, 50, 100, 900]))))
    return rows


def arrivals(edges, sources, allocation, opening=None):  # type: ignore[no-untyped-def]
    def extend(tag, bene):  # type: ignore[no-untyped-def]
        seed, hops = tag
        return (seed, hops + 1) if hops < 3 and bene not in SEEDS else None

    hops = replay(edges, sources, extend, allocation, opening=opening)
    return sorted((h.tx_id, h.bene, h.tag, round(h.amount, 6)) for h in hops)


@pytest.mark.parametrize("allocation", ["proportional", "fifo"])
@pytest.mark.parametrize("direction", ["down", "up"])
@pytest.mark.parametrize("seed", range(4))
def test_narrowed_replay_traces_what_the_full_replay_does(
    store, engine, seed, direction, allocation
):  # type: ignore[no-untyped-def]
    load(store, random_payments(seed))
    stage(engine)
    every = engine.query(_FRAME[direction]).cast(EDGE_SCHEMA)
    narrowed = flow_input(engine, set(SEEDS), 3, direction)
    unstage(engine)
    sources = {s: ((s, 0),) for s in SEEDS}
    full = arrivals(every, sources, allocation)
    assert full, "the random graph should carry some traced money"
    assert narrowed.edges.num_rows < every.num_rows
    assert arrivals(narrowed.edges, sources, allocation, narrowed.opening) == full
    totals = every.group_by("bene").aggregate([("value", "sum")]).to_pylist()
    inflow = {r["bene"]: r["value_sum"] for r in totals}
    for account, total in narrowed.inflow.items():
        assert total == pytest.approx(inflow[account])
