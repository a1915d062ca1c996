"""The channel graph as a file a UI can draw: JSON (nodes, edges, channels) or GraphML.

Nodes are the accounts on any channel, with their role (source, sink, intermediate); edges
are the account-to-account legs of the channels with the traced amount that used them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jalur.monitoring.trace import Tracing

GRAPH_FORMATS = (".json", ".graphml")


def channel_graph(tracing: Tracing) -> dict[str, Any]:
    """Nodes, edges and channels as plain data (the JSON file's content)."""
    legs: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"amount": 0.0, "channels": []}
    )
    nodes: set[str] = set()
    channels = tracing.channels.to_pylist()
    for channel in channels:
        path = channel["path"]
        nodes.update(path)
        for orig, bene in pairwise(path):
            legs[(orig, bene)]["amount"] += channel["amount"]
            legs[(orig, bene)]["channels"].append(channel["channel_id"])
    return {
        "directed": True,
        "allocation": tracing.allocation,
        "max_hops": tracing.hops,
        "emitted": tracing.emitted,
        "arrived": tracing.arrived,
        "nodes": [{"id": n, "role": _role(n, tracing)} for n in sorted(nodes)],
        "edges": [
            {"source": o, "target": b, "amount": round(v["amount"], 2), "channels": v["channels"]}
            for (o, b), v in sorted(legs.items())
        ],
        "channels": channels,
    }


def _role(account: str, tracing: Tracing) -> str:
    if account in tracing.sources:
        return "source"
    if account in tracing.sinks:
        return "sink"
    return "intermediate"


def write_graph(tracing: Tracing, path: Path) -> Path:
    """Write the channel graph; the suffix (.json or .graphml) picks the format."""
    suffix = path.suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise ValueError(f"{path}: graph file must end in {' or '.join(GRAPH_FORMATS)}")
    graph = channel_graph(tracing)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(json.dumps(graph, indent=2, ensure_ascii=False) + "\n", "utf-8")
    else:
        ET.ElementTree(_graphml(graph)).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _graphml(graph: dict[str, Any]) -> ET.Element:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for key, target, kind in (
        ("role", "node", "string"),
        ("amount", "edge", "double"),
        ("channels", "edge", "string"),
    ):
        ET.SubElement(root, "key", {"id": key, "for": target, "attr.name": key, "attr.type": kind})
    body = ET.SubElement(root, "graph", id="channels", edgedefault="directed")
    for node in graph["nodes"]:
        element = ET.SubElement(body, "node", id=node["id"])
        ET.SubElement(element, "data", key="role").text = node["role"]
    for number, edge in enumerate(graph["edges"]):
        element = ET.SubElement(
            body, "edge", id=f"e{number}", source=edge["source"], target=edge["target"]
        )
        ET.SubElement(element, "data", key="amount").text = f"{edge['amount']:.2f}"
        ET.SubElement(element, "data", key="channels").text = " ".join(edge["channels"])
    return root
