"""The picture component on hand-built channel graphs: layout left to right, Cytoscape
elements, a self-contained page that no holder name can break, the run summary's sections."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import jalur.pictures as pictures
from jalur.pictures import (
    SECTIONS,
    channel_html,
    cytoscape_elements,
    positions,
    run_report_html,
    top_channels,
    write_picture,
)


def node(account: str, role: str, holder: str, flags: list[str] | None = None) -> dict[str, Any]:
    return {"id": account, "role": role, "holder": holder, "bank": "BANKIDJA",
            "country": "ID", "flags": flags or [], "flag_reasons": [], "listed": None}  # fmt: skip


def channel(cid: str, path: list[str], amount: float) -> dict[str, Any]:
    return {"channel_id": cid, "path": path, "amount": amount, "hops": len(path) - 1,
            "holders": [p.title() for p in path], "duration_s": 86_400,
            "first_departure": "2025-01-09T00:00:00Z", "last_arrival": "2025-01-10T00:00:00Z",
            "tx_ids": [], "currency": "USD"}  # fmt: skip


def edge(source: str, target: str, amount: float, channels: list[str]) -> dict[str, Any]:
    return {"source": source, "target": target, "amount": amount, "currency": "USD",
            "channels": channels, "payments": [], "first_payment": "2025-01-09T10:00:00Z",
            "last_payment": "2025-01-09T10:00:00Z"}  # fmt: skip


@pytest.fixture
def graph() -> dict[str, Any]:
    """DRUG → A → B → TERROR (900) and DRUG → C → TERROR (100)."""
    return {
        "directed": True, "allocation": "proportional", "max_hops": 6, "currency": "USD",
        "emitted": 2000.0, "arrived": 1000.0, "sources": ["DRUG"], "sinks": ["TERROR"],
        "nodes": [
            node("A", "intermediate", "Ahmad"), node("B", "intermediate", "Budi"),
            node("C", "intermediate", "Citra"), node("DRUG", "source", "Rahmat", ["drug"]),
            node("TERROR", "sink", "Abu Example", ["terror"]),
        ],
        "edges": [
            edge("A", "B", 900.0, ["CH-1"]), edge("B", "TERROR", 900.0, ["CH-1"]),
            edge("C", "TERROR", 100.0, ["CH-2"]), edge("DRUG", "A", 900.0, ["CH-1"]),
            edge("DRUG", "C", 100.0, ["CH-2"]),
        ],
        "channels": [
            channel("CH-1", ["DRUG", "A", "B", "TERROR"], 900.0),
            channel("CH-2", ["DRUG", "C", "TERROR"], 100.0),
        ],
    }  # fmt: skip


def test_public_api_is_pinned():
    public = {n for n in dir(pictures) if not n.startswith("_") and n != "annotations"}
    modules = {n for n in public if isinstance(getattr(pictures, n), type(pictures))}
    assert sorted(pictures.__all__) == sorted(public - modules)


def test_layout_runs_from_the_drug_end_to_the_terror_end(graph):
    place = positions(graph)
    assert place["DRUG"][0] == 0 and place["TERROR"][0] == 3
    assert all(place[e["source"]][0] < place[e["target"]][0] for e in graph["edges"])
    same = [(a, b) for a in place for b in place if a < b and place[a][0] == place[b][0]]
    assert all(abs(place[a][1] - place[b][1]) >= 1 for a, b in same)


def test_top_channels_keeps_only_their_accounts_and_legs(graph):
    shown = top_channels(graph, 1)
    assert {n["id"] for n in shown["nodes"]} == {"DRUG", "A", "B", "TERROR"}
    assert len(shown["edges"]) == 3 and (shown["shown"], shown["total_channels"]) == (1, 2)


def test_elements_mark_kinds_and_highlight_the_largest_channel(graph):
    elements = cytoscape_elements(graph)
    kinds = {e["data"]["id"]: e["classes"] for e in elements if e["group"] == "nodes"}
    assert kinds == {"A": "account", "B": "account", "C": "account", "DRUG": "drug",
                     "TERROR": "terror"}  # fmt: skip
    bold = {(e["data"]["source"], e["data"]["target"])
            for e in elements if e["group"] == "edges" and e["classes"] == "highlight"}  # fmt: skip
    assert bold == {("DRUG", "A"), ("A", "B"), ("B", "TERROR")}
    chosen = cytoscape_elements(graph, "CH-2")
    assert {e["data"]["target"] for e in chosen if e["classes"] == "highlight"} == {"C", "TERROR"}
    labels = [e["data"]["label"] for e in elements if e["group"] == "edges"]
    assert "900.00 USD\n2025-01-09" in labels


def test_page_is_self_contained_and_no_holder_name_breaks_out(graph):
    graph["nodes"][0]["holder"] = "</script><script>alert(1)</script>"
    page = channel_html(graph, title="Drug <to> terror")
    assert "<h1>Drug &lt;to&gt; terror</h1>" in page
    assert "alert(1)</script>" not in page
    data = re.search(r'type="application/json">(.*?)</script>', page, re.S)
    assert data is not None
    holders = {e["data"].get("holder") for e in json.loads(data.group(1))["elements"]}
    assert "</script><script>alert(1)</script>" in holders
    assert "The Cytoscape Consortium" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)


def test_a_picture_suffix_must_name_a_format(graph, tmp_path):
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        write_picture(graph, tmp_path / "channel.pdf")
    svg = write_picture(graph, tmp_path / "channel.svg").read_text()
    assert "Abu Example" in svg and "drug-flagged account" in svg
    assert svg == write_picture(graph, tmp_path / "again.svg").read_text()  # no date inside


def summary(**changes: Any) -> dict[str, Any]:
    base = {
        "run_id": "RUN-1", "started": "2025-01-09T10:00:00.5Z", "finished": "2025-01-09T10:01:00Z",
        "engine": "duckdb", "payments": 1000, "alerts": 3, "min_exposure": 0.2,
        "by_typology": {"cycle": 1, "fan_in": 2}, "seconds": {},
        "scores": {"cycle": [0.9], "fan_in": [0.4, 0.6]},
        "top_accounts": [{"account": "ACC-1", "holder": "Siti Rahayu", "bank": "B", "country": "ID",
                          "alerts": 2, "best": 0.9, "weight": 1.5,
                          "typologies": ["cycle", "fan_in"], "scores": [0.9, 0.6]}],
        "exposure": [{"topic": "terror", "accounts": 40, "above": 4, "amount": 1234.5,
                      "best": 0.8, "seeds": 2}],
    }  # fmt: skip
    return {**base, **changes}


def test_run_report_has_every_section_as_inline_charts():
    page = run_report_html(summary(), currency="USD")
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    assert page.count("<svg") == 4 and "Siti Rahayu" in page and "1,234 USD" in page
    assert "2025-01-09 10:00:00 UTC" in page


def test_run_report_of_a_quiet_run_says_so():
    page = run_report_html(summary(alerts=0, by_typology={}, scores={}, top_accounts=[],
                                   exposure=[]))  # fmt: skip
    assert "No alerts." in page and "No alerted accounts." in page
    assert "No exposure was kept" in page
