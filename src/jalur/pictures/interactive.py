"""The channel as an interactive page: zoom, pan, hover and click for details, offline.

`cytoscape_elements` turns the channel graph into Cytoscape.js elements (pure data: the web
UI serves the same JSON); `channel_html` puts them in one self-contained HTML file with the
Cytoscape.js shipped in this package inlined, so the file opens without a network (an
analyst's workstation often has none).
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from itertools import pairwise
from typing import Any

from jalur.pictures.layout import Graph, highlighted_legs, positions, top_channels
from jalur.pictures.style import KINDS, edge_label, kind_of, money, node_label

#: Screen pixels between columns and rows of the preset left-to-right layout.
COLUMN_PX = 320
ROW_PX = 150


def cytoscape_script() -> str:
    """The vendored Cytoscape.js (MIT; its licence heads the script)."""
    return files("jalur.pictures").joinpath("vendor/cytoscape/cytoscape.min.js").read_text("utf-8")


def cytoscape_style() -> list[dict[str, Any]]:
    """The Cytoscape stylesheet: one colour and shape per account kind, thick highlighted legs."""
    style: list[dict[str, Any]] = [
        {"selector": "node", "style": {
            "label": "data(label)", "text-wrap": "wrap", "text-valign": "bottom",
            "text-margin-y": 6, "font-size": 11, "text-background-color": "#ffffff",
            "text-background-opacity": 0.9, "text-background-padding": 3,
            "border-width": 1, "border-color": "#222222", "width": 34, "height": 34}},
        {"selector": "edge", "style": {
            "label": "data(label)", "text-wrap": "wrap", "font-size": 10,
            "curve-style": "bezier", "target-arrow-shape": "triangle", "width": "data(width)",
            "line-color": "#9a9a9a", "target-arrow-color": "#9a9a9a", "color": "#444444",
            "text-background-color": "#ffffff", "text-background-opacity": 0.85}},
        {"selector": "edge.highlight", "style": {
            "line-color": "#1d3f8f", "target-arrow-color": "#1d3f8f", "color": "#1d3f8f",
            "font-weight": "bold"}},
        {"selector": ":selected", "style": {"overlay-opacity": 0.15}},
    ]  # fmt: skip
    for kind in KINDS:
        style.append(
            {"selector": f"node.{kind.name}", "style": {
                "background-color": kind.colour, "shape": kind.shape,
                "width": kind.size // 25, "height": kind.size // 25}}
        )  # fmt: skip
    return style


def cytoscape_elements(graph: Graph, channel_id: str | None = None) -> list[dict[str, Any]]:
    """Nodes and edges as Cytoscape.js elements with preset positions (left to right)."""
    place = positions(graph)
    bold = highlighted_legs(graph, channel_id)
    top = max((e["amount"] for e in graph["edges"]), default=1.0) or 1.0
    currency = graph.get("currency")
    nodes = [
        {
            "group": "nodes",
            "data": {**node, "label": node_label(node), "kind": kind_of(node)},
            "position": {
                "x": place[node["id"]][0] * COLUMN_PX,
                "y": -place[node["id"]][1] * ROW_PX,
            },
            "classes": kind_of(node),
        }
        for node in graph["nodes"]
    ]
    edges = [
        {
            "group": "edges",
            "data": {
                **edge, "id": f"e{number}", "label": edge_label(edge, currency),
                "width": round(1.5 + 6.0 * edge["amount"] / top, 2),
            },
            "classes": "highlight" if (edge["source"], edge["target"]) in bold else "",
        }
        for number, edge in enumerate(graph["edges"])
    ]  # fmt: skip
    return nodes + edges


def channel_html(
    graph: Graph,
    *,
    title: str | None = None,
    limit: int | None = 30,
    channel_id: str | None = None,
) -> str:
    """One self-contained HTML page: the channel graph, a legend, the channel list, details."""
    shown = top_channels(graph, limit)
    currency = shown.get("currency")
    payload = {
        "elements": cytoscape_elements(shown, channel_id),
        "style": cytoscape_style(),
        "channels": [_channel_row(ch, currency) for ch in shown["channels"]],
        "highlight": channel_id or next((c["channel_id"] for c in shown["channels"]), None),
    }
    template = files("jalur.pictures").joinpath("templates/channel.html").read_text("utf-8")
    heading = title or "Traced money: channels from the sources to the sinks"
    return (
        template.replace("@@TITLE@@", escape(heading))
        .replace("@@SUMMARY@@", escape(_summary(shown)))
        .replace("@@LEGEND@@", _legend(shown))
        .replace("/*@@CYTOSCAPE@@*/", _script_safe(cytoscape_script()))
        .replace("/*@@DATA@@*/null", _script_safe(json.dumps(payload, ensure_ascii=False)))
    )


def _channel_row(channel: dict[str, Any], currency: str | None) -> dict[str, Any]:
    holders = channel.get("holders") or [None] * len(channel["path"])
    names = [h or a for a, h in zip(channel["path"], holders, strict=True)]
    return {
        "id": channel["channel_id"],
        "legs": [list(leg) for leg in pairwise(channel["path"])],
        "text": f"{money(channel['amount'], currency)}: " + " → ".join(names),
        "when": f"{(channel.get('first_departure') or '')[:10]} – "
        f"{(channel.get('last_arrival') or '')[:10]}, {channel['hops']} payments",
    }


def _summary(graph: Graph) -> str:
    currency = graph.get("currency") or ""
    return (
        f"{graph['arrived']:,.0f} {currency} of the {graph['emitted']:,.0f} {currency} the "
        f"sources sent reached the sinks ({graph['allocation']} allocation, up to "
        f"{graph['max_hops']} payments). Showing the {graph['shown']} largest of "
        f"{graph['total_channels']} channels."
    )


def _legend(graph: Graph) -> str:
    present = {kind_of(n) for n in graph["nodes"]}
    shapes = {"^": "▲", "s": "■", "D": "◆", "h": "⬢", "o": "●"}
    items = [
        f'<li><span style="color:{k.colour}">{shapes[k.marker]}</span> {escape(k.legend)}</li>'
        for k in KINDS
        if k.name in present
    ]
    items.append('<li><span style="color:#1d3f8f">━━</span> highlighted channel</li>')
    items.append('<li><span style="color:#9a9a9a">━━</span> other channels</li>')
    return "\n".join(items)


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is inlined in."""
    return text.replace("</", "<\\/")
