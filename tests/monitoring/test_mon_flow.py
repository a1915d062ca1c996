"""Exposure and channel tracing on hand-built graphs with known amounts."""

from __future__ import annotations

import json

import pytest
from monitoring_builders import at, load, pay

from jalur.monitoring import Seeds, measure, stage, trace, unstage, write_graph
from jalur.monitoring.seeds import HITS_SCHEMA

PARAMS = {"max_hops": 3, "decay": 0.5, "allocation": "proportional"}

# DRUG pays 1000 to A (which already held 1000 of its own money from CLEAN); A then pays
# 1000 to B; B pays all 1000 to TERROR. Proportional: half of A's payment is drug money.
CHAIN = [
    pay("t1", "CLEAN", "A", at(0), 1000.0),
    pay("t2", "DRUG", "A", at(1), 1000.0),
    pay("t3", "A", "B", at(2), 1000.0),
    pay("t4", "B", "TERROR", at(3), 1000.0),
    pay("t5", "A", "LATE", at(4), 1000.0),
    pay("t0", "B", "EARLY", at(-1), 50.0),  # before any drug money reached B
]


@pytest.fixture
def staged(store, engine):
    load(store, CHAIN)
    stage(engine)
    yield engine
    unstage(engine)


def seeds(drug=(), terror=()) -> Seeds:
    return Seeds({"drug": frozenset(drug), "terror": frozenset(terror)}, HITS_SCHEMA.empty_table())


def test_drug_exposure_is_the_traced_share_of_money_in(staged):
    table = measure(staged, seeds(drug={"DRUG"}).by_topic, PARAMS)
    found = {r["account"]: r for r in table.to_pylist()}
    assert found["A"]["share_in"] == pytest.approx(0.5)  # 1000 of 2000 in
    assert found["A"]["hops"] == 1
    # B received 1000, of which 500 traced, at hop 2 (weight 0.5): 250/1000.
    assert found["B"]["share_in"] == pytest.approx(0.25)
    # A's remaining pool is half drug: 500 of LATE's 1000 traced, at hop 2 (weight 0.5).
    assert found["LATE"]["share_in"] == pytest.approx(0.25)
    assert found["LATE"]["amount"] == pytest.approx(500.0)
    assert "EARLY" not in found  # time-respecting: paid before drug money arrived
    assert "DRUG" not in found  # seeds are not scored against themselves
    assert {r["topic"] for r in table.to_pylist()} == {"drug"}


def test_terror_exposure_looks_upstream_and_stays_apart(staged):
    table = measure(staged, seeds(drug={"DRUG"}, terror={"TERROR"}).by_topic, PARAMS)
    terror = {r["account"]: r for r in table.to_pylist() if r["topic"] == "terror"}
    assert terror["B"]["share_out"] == pytest.approx(1000 / 1050)  # all but 'EARLY' 50
    assert terror["B"]["hops"] == 1
    assert "EARLY" not in terror and "LATE" not in terror  # their money never reached TERROR
    drug = {r["account"] for r in table.to_pylist() if r["topic"] == "drug"}
    assert "TERROR" in drug  # drug exposure of the terror account is measured separately


def test_trace_conserves_amounts_proportionally(staged):
    found = trace(staged, frozenset({"DRUG"}), frozenset({"TERROR"}), max_hops=4)
    channels = found.channels.to_pylist()
    assert len(channels) == 1
    channel = channels[0]
    assert channel["path"] == ["DRUG", "A", "B", "TERROR"]
    assert channel["amount"] == pytest.approx(500.0)
    assert channel["hops"] == 3
    assert channel["duration_s"] == 2 * 86400
    assert channel["tx_ids"] == ["t2", "t3", "t4"]
    assert found.emitted == pytest.approx(1000.0)


def test_trace_fifo_spends_the_oldest_money_first(staged):
    found = trace(staged, frozenset({"DRUG"}), frozenset({"TERROR"}), allocation="fifo")
    assert found.channels.num_rows == 0  # A paid B with CLEAN's older 1000 first
    late = trace(staged, frozenset({"DRUG"}), frozenset({"LATE"}), allocation="fifo")
    assert late.channels.to_pylist()[0]["amount"] == pytest.approx(1000.0)


def test_trace_respects_the_hop_limit(staged):
    assert (
        trace(staged, frozenset({"DRUG"}), frozenset({"TERROR"}), max_hops=2).channels.num_rows == 0
    )


def test_channel_graph_files(staged, tmp_path):
    found = trace(staged, frozenset({"DRUG"}), frozenset({"TERROR"}))
    graph = json.loads(write_graph(found, tmp_path / "g.json").read_text())
    roles = {n["id"]: n["role"] for n in graph["nodes"]}
    assert roles == {"DRUG": "source", "A": "intermediate", "B": "intermediate", "TERROR": "sink"}
    assert [(e["source"], e["target"], e["amount"]) for e in graph["edges"]] == [
        ("A", "B", 500.0),
        ("B", "TERROR", 500.0),
        ("DRUG", "A", 500.0),
    ]
    graphml = write_graph(found, tmp_path / "g.graphml").read_text()
    assert graphml.count("<edge ") == 3 and 'edgedefault="directed"' in graphml
    with pytest.raises(ValueError, match="must end in"):
        write_graph(found, tmp_path / "g.png")
