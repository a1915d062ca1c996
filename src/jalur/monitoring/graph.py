"""The channel graph as data a file or a picture can carry: JSON (nodes, edges, channels) or
GraphML, with the same attributes in both.

Nodes are the accounts on any channel: role (source, sink, intermediate), holder, bank,
country, the topics it is a seed of (`flags`: drug, terror), why it was flagged and whom its
holder matched on a list. Edges are the account-to-account legs of the channels: the traced
amount that used them (in the reporting currency), the channels using them, and the payments
that carried it with their own amount, currency and time. Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jalur.monitoring.channel_facts import ChannelFacts, iso
from jalur.monitoring.trace import Tracing

GRAPH_FORMATS = (".json", ".graphml")

#: GraphML keys: (id, for, type); lists are written space-separated, objects as JSON.
_NODE_KEYS = (
    ("role", "string"), ("holder", "string"), ("bank", "string"), ("country", "string"),
    ("flags", "string"), ("flag_reasons", "string"), ("listed_name", "string"),
    ("listed_entity", "string"), ("listed_list", "string"), ("listed_score", "double"),
)  # fmt: skip
_EDGE_KEYS = (
    ("amount", "double"), ("currency", "string"), ("channels", "string"),
    ("payments", "string"), ("first_payment", "string"), ("last_payment", "string"),
    ("paid", "string"),
)  # fmt: skip


def channel_graph(tracing: Tracing, facts: ChannelFacts | None = None) -> dict[str, Any]:
    """Nodes, edges and channels as plain data (the JSON file's content).

    Without `facts` (no workspace at hand) holders, banks and payments are left empty."""
    facts = facts or ChannelFacts()
    channels = [_channel(ch, facts) for ch in tracing.channels.to_pylist()]
    nodes = sorted({a for ch in channels for a in ch["path"]})
    return {
        "directed": True,
        "allocation": tracing.allocation,
        "max_hops": tracing.hops,
        "currency": facts.currency,
        "emitted": tracing.emitted,
        "arrived": tracing.arrived,
        "sources": sorted(tracing.sources),
        "sinks": sorted(tracing.sinks),
        "nodes": [_node(n, tracing, facts) for n in nodes],
        "edges": _edges(channels, facts),
        "channels": channels,
    }


def _channel(channel: dict[str, Any], facts: ChannelFacts) -> dict[str, Any]:
    holders = [facts.accounts.get(a, {}).get("holder") for a in channel["path"]]
    return {
        **channel,
        "currency": facts.currency,
        "holders": holders,
        "first_departure": iso(channel["first_departure"]),
        "last_arrival": iso(channel["last_arrival"]),
    }


def _node(account: str, tracing: Tracing, facts: ChannelFacts) -> dict[str, Any]:
    known = facts.accounts.get(account, {})
    return {
        "id": account,
        "role": _role(account, tracing),
        "holder": known.get("holder"),
        "bank": known.get("bank"),
        "country": known.get("country"),
        "flags": known.get("flags", []),
        "flag_reasons": known.get("flag_reasons", []),
        "listed": known.get("listed"),
    }


def _role(account: str, tracing: Tracing) -> str:
    if account in tracing.sources:
        return "source"
    if account in tracing.sinks:
        return "sink"
    return "intermediate"


def _edges(channels: list[dict[str, Any]], facts: ChannelFacts) -> list[dict[str, Any]]:
    legs: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"amount": 0.0, "channels": [], "tx_ids": set()}
    )
    for channel in channels:
        for orig, bene in pairwise(channel["path"]):
            legs[(orig, bene)]["amount"] += channel["amount"]
            legs[(orig, bene)]["channels"].append(channel["channel_id"])
            legs[(orig, bene)]["tx_ids"].update(channel["tx_ids"])
    edges = []
    for (orig, bene), leg in sorted(legs.items()):
        paid = [
            {k: p[k] for k in ("tx_id", "time", "amount", "currency", "value")}
            for p in facts.payments
            if p["orig"] == orig and p["bene"] == bene and p["tx_id"] in leg["tx_ids"]
        ]
        edges.append(
            {
                "source": orig,
                "target": bene,
                "amount": round(leg["amount"], 2),
                "currency": facts.currency,
                "channels": leg["channels"],
                "payments": paid,
                "first_payment": paid[0]["time"] if paid else None,
                "last_payment": paid[-1]["time"] if paid else None,
            }
        )
    return edges


def write_graph(tracing: Tracing, path: Path, facts: ChannelFacts | None = None) -> Path:
    """Write the channel graph; the suffix (.json or .graphml) picks the format."""
    suffix = path.suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise ValueError(f"{path}: graph file must end in {' or '.join(GRAPH_FORMATS)}")
    return write_graph_data(channel_graph(tracing, facts), path)


def write_graph_data(graph: dict[str, Any], path: Path) -> Path:
    """Write an already built channel graph as JSON or GraphML (by the suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(graph, indent=2, ensure_ascii=False) + "\n", "utf-8")
    else:
        tree = ET.ElementTree(_graphml(graph))
        ET.indent(tree)
        tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def _graphml(graph: dict[str, Any]) -> ET.Element:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for target, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for key, kind in keys:
            ET.SubElement(
                root, "key", {"id": key, "for": target, "attr.name": key, "attr.type": kind}
            )
    body = ET.SubElement(root, "graph", id="channels", edgedefault="directed")
    for node in graph["nodes"]:
        element = ET.SubElement(body, "node", id=node["id"])
        _data(element, _node_values(node))
    for number, edge in enumerate(graph["edges"]):
        element = ET.SubElement(
            body, "edge", id=f"e{number}", source=edge["source"], target=edge["target"]
        )
        _data(element, _edge_values(edge))
    return root


def _node_values(node: dict[str, Any]) -> dict[str, Any]:
    listed = node.get("listed") or {}
    return {
        "role": node["role"], "holder": node.get("holder"), "bank": node.get("bank"),
        "country": node.get("country"), "flags": " ".join(node.get("flags", [])),
        "flag_reasons": "; ".join(node.get("flag_reasons", [])),
        "listed_name": listed.get("party_name"), "listed_entity": listed.get("entity_id"),
        "listed_list": listed.get("list_name"), "listed_score": listed.get("score"),
    }  # fmt: skip


def _edge_values(edge: dict[str, Any]) -> dict[str, Any]:
    return {
        "amount": f"{edge['amount']:.2f}", "currency": edge.get("currency"),
        "channels": " ".join(edge["channels"]),
        "payments": " ".join(p["tx_id"] for p in edge.get("payments", [])),
        "first_payment": edge.get("first_payment"), "last_payment": edge.get("last_payment"),
        "paid": json.dumps(edge["payments"], ensure_ascii=False) if edge.get("payments") else None,
    }  # fmt: skip


def _data(element: ET.Element, values: dict[str, Any]) -> None:
    """One <data> per attribute that has a value (GraphML's way to say 'unknown')."""
    for key, value in values.items():
        if value not in (None, ""):
            ET.SubElement(element, "data", key=key).text = str(value)
