"""Which channels a picture shows, and where each account sits: left to right, from the
source end (drug money) to the sink end (terror-linked accounts), as an analyst reads it.

Pure functions over the channel graph's plain data (`jalur.monitoring.channel_graph`), so the
CLI's files and the web UI place accounts the same way.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

Graph = dict[str, Any]


def top_channels(graph: Graph, limit: int | None) -> Graph:
    """The graph cut to its `limit` largest channels (and the accounts and legs they use).

    A picture of hundreds of channels is a hairball; the graph files keep them all."""
    channels = graph["channels"][:limit] if limit else graph["channels"]
    used = {a for ch in channels for a in ch["path"]}
    legs = {leg for ch in channels for leg in pairwise(ch["path"])}
    ids = {ch["channel_id"] for ch in channels}
    edges = [
        {**e, "channels": [c for c in e["channels"] if c in ids]}
        for e in graph["edges"]
        if (e["source"], e["target"]) in legs
    ]
    for edge in edges:
        carried = (ch["amount"] for ch in channels if ch["channel_id"] in edge["channels"])
        edge["amount"] = round(sum(carried), 2)
    return {
        **graph,
        "nodes": [n for n in graph["nodes"] if n["id"] in used],
        "edges": edges,
        "channels": channels,
        "shown": len(channels),
        "total_channels": len(graph["channels"]),
    }


def highlighted_legs(graph: Graph, channel_id: str | None = None) -> set[tuple[str, str]]:
    """The legs of the channel to highlight: `channel_id`, else the largest channel."""
    chosen = [c for c in graph["channels"] if channel_id in (None, c["channel_id"])][:1]
    return {leg for ch in chosen for leg in pairwise(ch["path"])}


def columns(graph: Graph) -> dict[str, int]:
    """Each account's column: sources first, sinks last, others by how far along a path.

    An intermediate sits at the furthest position it holds on any drawn path, so every leg
    of a channel points right (or stays in its column when paths disagree)."""
    last = max((len(ch["path"]) - 1 for ch in graph["channels"]), default=1)
    roles = {n["id"]: n["role"] for n in graph["nodes"]}
    column: dict[str, int] = {}
    for channel in graph["channels"]:
        for position, account in enumerate(channel["path"]):
            column[account] = max(column.get(account, 0), position)
    for account, role in roles.items():
        if role == "source":
            column[account] = 0
        elif role == "sink":
            column[account] = last
        else:
            column[account] = min(max(column.get(account, 1), 1), max(last - 1, 1))
    return column


def positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """(x, y) per account: x its column, y its row (rows grow downwards, negated for y up).

    Rows follow the money: each account is placed level with the mean row of the accounts
    it trades with on the drawn channels (barycentre sweeps, left to right and back), at
    least one row apart from its neighbours, so a channel reads as a nearly straight line."""
    column = columns(graph)
    links: dict[str, dict[str, list[str]]] = {"in": defaultdict(list), "out": defaultdict(list)}
    for edge in graph["edges"]:
        links["in"][edge["target"]].append(edge["source"])
        links["out"][edge["source"]].append(edge["target"])
    by_column: dict[int, list[str]] = defaultdict(list)
    for account in sorted(column, key=lambda a: (-_weights(graph).get(a, 0.0), a)):
        by_column[column[account]].append(account)
    row = {a: float(rank) for members in by_column.values() for rank, a in enumerate(members)}
    order = sorted(by_column)
    for _ in range(4):
        for col in order[1:]:
            _place(by_column[col], links["in"], row)
        for col in reversed(order[:-1]):
            _place(by_column[col], links["out"], row)
    for col in order[1:]:
        _place(by_column[col], links["in"], row)
    low = min(row.values(), default=0.0)
    return {a: (float(column[a]), -(row[a] - low)) for a in column}


def _place(members: list[str], neighbours: dict[str, list[str]], row: dict[str, float]) -> None:
    """Rows for one column: as close to the neighbours' mean as one row apart allows."""
    wanted = {a: _mean([row[n] for n in neighbours[a] if n in row], row[a]) for a in members}
    members.sort(key=lambda a: (wanted[a], row[a], a))
    placed: list[float] = []
    for account in members:
        placed.append(max(wanted[account], placed[-1] + 1.0) if placed else wanted[account])
    shift = _mean([wanted[a] - y for a, y in zip(members, placed, strict=True)], 0.0)
    for account, y in zip(members, placed, strict=True):
        row[account] = y + shift


def _weights(graph: Graph) -> dict[str, float]:
    """Money each account handled on the drawn channels (the biggest go first)."""
    weight: dict[str, float] = defaultdict(float)
    for channel in graph["channels"]:
        for account in channel["path"]:
            weight[account] += channel["amount"]
    return weight


def _mean(values: list[float], empty: float) -> float:
    return sum(values) / len(values) if values else empty
