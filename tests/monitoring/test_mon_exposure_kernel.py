"""The compiled exposure replay must give the table the generic flow kernel gave.

`reference` below is the exposure measure as it was before the kernel was compiled: every
arrival from `flow.replay` (plain Python, (topic, seed, hops) tags) added up per account and
topic. Fed every payment, with inflows summed in replay order as the compiled measure does,
it must give exactly the same table, bit for bit.
Random graphs: tied times, tiny amounts below the follow threshold, accounts that are seeds of
both topics, money that outgrows the pools; both allocations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from monitoring_builders import at, load, pay

from jalur.monitoring import EXPOSURE_SCHEMA, measure, stage, unstage
from jalur.monitoring.exposure import exposure_of
from jalur.monitoring.exposure_columns import rounded
from jalur.monitoring.flow import payments, replay
from jalur.monitoring.reach import EDGE_SCHEMA
from jalur.store import Store

ACCOUNTS = [f"A{i}" for i in range(8)]


@dataclass
class _Traced:
    weighted: float = 0.0
    amount: float = 0.0
    hops: int = 99
    seeds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    tx_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class FlowInput:
    """One direction's payments (in its own forward-in-time frame) and each account's inflow."""

    edges: pa.Table
    inflow: dict[str, float]


Traced = tuple[dict[tuple[str, str], _Traced], dict[str, float]]


def reference(flows: list[FlowInput], seeds: Mapping[str, frozenset[str]], params: Any) -> pa.Table:
    """`exposure.measure` over `flow.replay`, as it was, from the down and up `flows`."""
    seeds = {topic: accounts for topic, accounts in sorted(seeds.items()) if accounts}
    down, up = (_trace(flow, seeds, params) for flow in flows)
    rows = []
    for topic, accounts in seeds.items():
        rows.extend(_rows(topic, accounts, down, up))
    return pa.Table.from_pylist(rows, schema=EXPOSURE_SCHEMA)


def every_payment(edges: pa.Table) -> list[FlowInput]:
    """Both frames of every payment, no openings; inflows summed in replay order."""
    up = pa.table(
        {
            "tx_id": edges["tx_id"],
            "orig": edges["bene"],
            "bene": edges["orig"],
            "ts": pc.negate(edges["ts"]),
            "value": edges["value"],
        }
    )
    flows = []
    for frame in (edges, up):
        inflow: dict[str, float] = {}
        for _, _, bene, _, value in payments(frame):
            inflow[bene] = inflow.get(bene, 0.0) + value
        flows.append(FlowInput(frame, inflow))
    return flows


def _rows(topic: str, seeds: frozenset[str], down: Traced, up: Traced) -> list[dict[str, Any]]:
    reached = {a for a, t in down[0] if t == topic} | {a for a, t in up[0] if t == topic}
    rows = []
    for account in sorted(reached - seeds):
        d = down[0].get((account, topic), _Traced())
        u = up[0].get((account, topic), _Traced())
        share_in = min(1.0, d.weighted / down[1][account]) if down[1].get(account) else 0.0
        share_out = min(1.0, u.weighted / up[1][account]) if up[1].get(account) else 0.0
        both = {**u.seeds, **d.seeds}
        rows.append(
            {
                "account": account,
                "topic": topic,
                "score": round(max(share_in, share_out), 6),
                "share_in": round(share_in, 6),
                "share_out": round(share_out, 6),
                "hops": min(d.hops, u.hops),
                "amount": round(d.amount + u.amount, 2),
                "seeds": sorted(both, key=lambda s: (-both[s], s))[:5],
                "tx_ids": sorted(d.tx_ids | u.tx_ids),
            }
        )
    return rows


def _trace(flow: FlowInput, seeds: Mapping[str, frozenset[str]], params: Any) -> Traced:
    max_hops, decay = int(params["max_hops"]), float(params["decay"])

    def extend(tag: object, bene: str) -> object:
        topic, seed, hops = cast(tuple[str, str, int], tag)
        return (topic, seed, hops + 1) if hops < max_hops and bene not in seeds[topic] else None

    sources: dict[str, tuple[object, ...]] = {}
    for topic, accounts in seeds.items():
        for seed in accounts:
            sources[seed] = (*sources.get(seed, ()), (topic, seed, 0))
    traced: dict[tuple[str, str], _Traced] = defaultdict(_Traced)
    allocation = str(params["allocation"])
    for hop in replay(flow.edges, sources, extend, allocation):
        topic, seed, hops = cast(tuple[str, str, int], hop.tag)
        item = traced[(hop.bene, topic)]
        item.weighted += hop.amount * decay ** (hops - 1)
        item.amount += hop.amount
        item.hops = min(item.hops, hops)
        item.seeds[seed] += hop.amount
        item.tx_ids.add(hop.tx_id)
    return traced, flow.inflow


#: Mostly comparable amounts (so pools are partly spent and mix), some below the threshold.
AMOUNTS = st.one_of(
    st.integers(1, 400).map(float),
    st.sampled_from([0.004, 0.015, 333.33, 125000.0]),
)

Seeded = dict[str, frozenset[str]]


@st.composite
def graphs(draw: st.DrawFn, self_payments: bool = True) -> tuple[list[tuple[Any, ...]], Seeded]:
    """Payments among 3 to 8 accounts (few: pools mix money of several kinds), and seeds."""
    accounts = ACCOUNTS[: draw(st.integers(3, len(ACCOUNTS)))]
    payment = st.tuples(
        st.sampled_from(accounts),
        st.sampled_from(accounts),
        st.integers(0, 12),  # few distinct times: many ties, broken by tx_id
        AMOUNTS,
    )
    drawn = draw(st.lists(payment, min_size=1, max_size=60))
    if not self_payments:  # staging drops them
        drawn = [p for p in drawn if p[0] != p[1]]
    drug = draw(st.frozensets(st.sampled_from(accounts[:2]), min_size=1))
    terror = draw(st.frozensets(st.sampled_from(accounts[1:3])))
    return drawn, {"drug": drug, "terror": terror}


def edges_of(drawn: list[tuple[Any, ...]]) -> pa.Table:
    rows = [
        {"tx_id": f"t{i:02d}", "orig": o, "bene": b, "ts": day * 86400, "value": v}
        for i, (o, b, day, v) in enumerate(drawn)
    ]
    return pa.Table.from_pylist(rows, schema=EDGE_SCHEMA)


def params_of(allocation: str, max_hops: int, decay: float) -> dict[str, Any]:
    return {"max_hops": max_hops, "decay": decay, "allocation": allocation}


knobs = {
    "allocation": st.sampled_from(["proportional", "fifo"]),
    "max_hops": st.integers(1, 4),
    "decay": st.sampled_from([0.0, 0.5, 0.7, 1.0]),
}


@settings(max_examples=600, deadline=None)
@given(graph=graphs(), **knobs)
def test_compiled_replay_gives_the_reference_table_bit_for_bit(
    graph: tuple[list[tuple[Any, ...]], Seeded], allocation: str, max_hops: int, decay: float
) -> None:
    drawn, seeds = graph
    edges, params = edges_of(drawn), params_of(allocation, max_hops, decay)
    seeds = {topic: accounts for topic, accounts in sorted(seeds.items()) if accounts}
    fast = exposure_of(edges, seeds, params)
    assert fast.schema == EXPOSURE_SCHEMA
    assert fast.to_pylist() == reference(every_payment(edges), seeds, params).to_pylist()


# DRUG pays 1000 to A, which already held CLEAN's 1000; A pays B 1000, then LATE 1000.
FIFO_CHAIN = [
    pay("t1", "CLEAN", "A", at(0), 1000.0),
    pay("t2", "DRUG", "A", at(1), 1000.0),
    pay("t3", "A", "B", at(2), 1000.0),
    pay("t4", "A", "LATE", at(3), 1000.0),
]


@pytest.mark.parametrize(
    ("allocation", "b_share", "late_share"),
    [("fifo", None, 0.5), ("proportional", 0.25, 0.25)],  # hop 2 counts decay 0.5
)
def test_allocation_rule_decides_whose_money_moved(
    store: Store, engine: Any, allocation: str, b_share: float | None, late_share: float
) -> None:
    load(store, FIFO_CHAIN)
    stage(engine)
    params = {"max_hops": 3, "decay": 0.5, "allocation": allocation}
    table = measure(engine, {"drug": frozenset({"DRUG"})}, params)
    found = {r["account"]: r for r in table.to_pylist()}
    unstage(engine)
    assert found["A"]["share_in"] == pytest.approx(0.5)
    assert found["A"]["tx_ids"] == ["t2"]
    if b_share is None:  # FIFO: A paid B with CLEAN's older money, LATE with the drug money
        assert "B" not in found
    else:
        assert found["B"]["share_in"] == pytest.approx(b_share)
    assert found["LATE"]["share_in"] == pytest.approx(late_share)
    assert found["LATE"]["seeds"] == ["DRUG"]
    assert found["LATE"]["tx_ids"] == ["t4"]


def test_fifo_keeps_the_untraced_rest_of_a_payment_in_line() -> None:
    """X pays Z 150 out of Y's older 100 and S's 100: Z's lots are 50 traced, then 100
    untraced, then Q's 50 traced. Z's 100 to W takes the first 50 traced and 50 untraced."""
    drawn = [
        ("Y", "X", 0, 100.0),
        ("S", "X", 1, 100.0),
        ("X", "Z", 2, 150.0),
        ("S", "Q", 2, 100.0),
        ("Q", "Z", 3, 50.0),
        ("Z", "W", 4, 100.0),
    ]
    params = params_of("fifo", max_hops=4, decay=1.0)
    table = exposure_of(edges_of(drawn), {"drug": frozenset({"S"})}, params)
    found = {r["account"]: r for r in table.to_pylist()}
    assert found["Z"]["share_in"] == pytest.approx(0.5)  # 50 + 50 of 200
    assert found["W"]["share_in"] == pytest.approx(0.5)
    assert found["W"]["amount"] == pytest.approx(50.0)


def test_unknown_allocation_is_refused(store: Store, engine: Any) -> None:
    load(store, FIFO_CHAIN)
    stage(engine)
    params = {"max_hops": 3, "decay": 0.5, "allocation": "lifo"}
    with pytest.raises(ValueError, match="unknown allocation"):
        measure(engine, {"drug": frozenset({"DRUG"})}, params)
    unstage(engine)


#: Floats just either side of a half at 2 and 6 decimals, where a quick rounding can slip.
def near_half(k: int, digits: int, towards: float) -> float:
    return float(np.nextafter((k + 0.5) / 10**digits, towards))


near_halves = st.builds(
    near_half,
    st.integers(-(10**9), 10**9),
    st.sampled_from([2, 6]),
    st.sampled_from([-np.inf, np.inf]),
) | st.builds(
    lambda k, digits: (k + 0.5) / 10**digits, st.integers(-(10**9), 10**9), st.sampled_from([2, 6])
)


@settings(max_examples=500)
@given(
    values=st.lists(st.floats(allow_nan=False) | near_halves, min_size=1, max_size=30),
    digits=st.sampled_from([2, 6]),
)
def test_quick_rounding_is_pythons_round(values: list[float], digits: int) -> None:
    quick = rounded(np.array(values, np.float64), digits).to_pylist()
    assert quick == [round(value, digits) for value in values]
