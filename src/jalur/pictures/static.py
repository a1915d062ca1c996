"""The channel as a still picture (SVG or PNG) for a report, a case file or a slide.

networkx holds the graph and draws it on a matplotlib figure (no pyplot, so no global state
and no display needed). Accounts are labelled with holder, account, bank and country;
payments with amount, currency and date; drug-flagged and terror-listed accounts differ in
colour *and* shape (legible in black and white and for colour-blind readers); the largest
channel's legs are drawn thick and dark, the others thin and grey.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jalur.pictures.layout import Graph, highlighted_legs, positions, top_channels
from jalur.pictures.style import KINDS, edge_label, kind_of, node_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STILL_FORMATS = (".svg", ".png")
HIGHLIGHT = "#1d3f8f"
OTHER_LEG = "#9a9a9a"
DEFAULT_TITLE = "Traced money: channels from the sources to the sinks"


def draw_channel(
    graph: Graph,
    path: Path,
    *,
    title: str | None = None,
    limit: int | None = 8,
    channel_id: str | None = None,
) -> Path:
    """Draw the `limit` largest channels of `graph` to `path` (.svg or .png)."""
    suffix = path.suffix.lower()
    if suffix not in STILL_FORMATS:
        raise ValueError(f"{path}: a still picture must end in {' or '.join(STILL_FORMATS)}")
    import matplotlib as mpl

    shown = top_channels(graph, limit)
    figure = channel_figure(shown, title=title, channel_id=channel_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "jalur"}):
        figure.savefig(path, format=suffix[1:], dpi=110, metadata=_metadata(suffix))
    return path


def _metadata(suffix: str) -> dict[str, Any]:
    """No creation date in the file: the same channel gives the same bytes."""
    return {"Date": None} if suffix == ".svg" else {}


def channel_figure(
    graph: Graph, *, title: str | None = None, channel_id: str | None = None
) -> Figure:
    """A matplotlib figure of the channel graph (already cut to the channels to show)."""
    from matplotlib.figure import Figure

    place = positions(graph)
    columns = 1 + int(max((x for x, _ in place.values()), default=0))
    ys = [y for _, y in place.values()]
    rows = max(ys) - min(ys) + 1 if ys else 1  # rows are spread to follow the money
    height = max(4.8, 1.45 * rows + 2.4)
    figure = Figure(figsize=(max(9.0, 4.3 * columns), height))
    axes = figure.add_axes((0.01, 0.55 / height, 0.98, 1 - 1.75 / height))
    _draw(axes, graph, place, highlighted_legs(graph, channel_id))
    _titles(figure, graph, title, channel_id)
    _legend(figure, graph)
    return figure


def _draw(
    axes: Axes, graph: Graph, place: dict[str, tuple[float, float]], bold: set[tuple[str, str]]
) -> None:
    import networkx as nx

    network = nx.DiGraph()
    network.add_nodes_from(n["id"] for n in graph["nodes"])
    network.add_edges_from((e["source"], e["target"]) for e in graph["edges"])
    top = max((e["amount"] for e in graph["edges"]), default=1.0) or 1.0
    for edge in graph["edges"]:
        leg = (edge["source"], edge["target"])
        strong = leg in bold
        nx.draw_networkx_edges(
            network, place, edgelist=[leg], ax=axes, node_size=900, arrowsize=16,
            width=_width(edge["amount"] / top, strong),
            edge_color=HIGHLIGHT if strong else OTHER_LEG, connectionstyle="arc3,rad=0.06",
        )  # fmt: skip
        _edge_text(axes, place, edge, graph.get("currency"), strong)
    by_id = {n["id"]: n for n in graph["nodes"]}
    for kind in KINDS:
        members = [a for a in network.nodes if kind_of(by_id[a]) == kind.name]
        nx.draw_networkx_nodes(
            network, place, nodelist=members, ax=axes, node_shape=kind.marker,
            node_color=kind.colour, edgecolors="#222222", linewidths=1.0, node_size=kind.size,
        )  # fmt: skip
    for account, (x, y) in place.items():
        axes.text(
            x, y - 0.2, node_label(by_id[account]), ha="center", va="top", fontsize=8.5,
            linespacing=1.25, zorder=5,
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#cccccc", "alpha": 0.92},
        )  # fmt: skip
    if not place:
        axes.text(0.5, 0.5, "No traced money reached the sinks: no channel to draw.",
                  ha="center", va="center", fontsize=12, transform=axes.transAxes)  # fmt: skip
        axes.set_axis_off()
        return
    xs = [x for x, _ in place.values()] or [0.0]
    ys = [y for _, y in place.values()] or [0.0]
    for column in range(int(max(xs)) + 1):
        axes.text(column, max(ys) + 0.28, _caption(column, int(max(xs))), ha="center",
                  fontsize=9.5, color="#555555", fontweight="bold")  # fmt: skip
    axes.set_xlim(min(xs) - 0.55, max(xs) + 0.55)
    axes.set_ylim(min(ys) - 0.8, max(ys) + 0.45)
    axes.set_axis_off()


def _width(share: float, strong: bool) -> float:
    """Line width by the leg's share of the largest leg; the highlighted channel stands out."""
    return 1.2 + 5.0 * share if strong else 0.8 + 2.5 * share


def _caption(column: int, last: int) -> str:
    if column == 0:
        return "where the money started"
    if column == last:
        return "where it arrived"
    return f"after {column} payment{'s' if column > 1 else ''}"


def _edge_text(
    axes: Axes,
    place: dict[str, tuple[float, float]],
    edge: dict[str, Any],
    currency: str | None,
    strong: bool,
) -> None:
    """The leg's label halfway along it, a little above the line."""
    (x0, y0), (x1, y1) = place[edge["source"]], place[edge["target"]]
    axes.text(
        (x0 + x1) / 2, (y0 + y1) / 2 + 0.07, edge_label(edge, currency), ha="center",
        va="bottom", fontsize=7.8, color=HIGHLIGHT if strong else "#555555", zorder=4,
        fontweight="bold" if strong else "normal",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
    )  # fmt: skip


def _titles(figure: Figure, graph: Graph, title: str | None, channel_id: str | None) -> None:
    currency = graph.get("currency") or ""
    figure.text(
        0.01, 1 - 0.2 / figure.get_figheight(), title or DEFAULT_TITLE,
        fontsize=14, fontweight="bold", va="top",
    )  # fmt: skip
    top = 1 - 0.62 / figure.get_figheight()
    chosen = [c for c in graph["channels"] if channel_id in (None, c["channel_id"])][:1]
    lines = [
        f"{graph['arrived']:,.0f} {currency} of the {graph['emitted']:,.0f} {currency} the "
        f"sources sent reached the sinks ({graph['allocation']} allocation, up to "
        f"{graph['max_hops']} payments); showing the {graph.get('shown', len(graph['channels']))}"
        f" largest of {graph.get('total_channels', len(graph['channels']))} channels."
    ]
    if chosen:
        ch = chosen[0]
        lines.append(
            f"Highlighted: {ch['channel_id']}, {ch['amount']:,.0f} {currency} in {ch['hops']} "
            f"payments over {ch['duration_s'] / 3600:,.1f} h "
            f"({(ch['first_departure'] or '')[:10]} to {(ch['last_arrival'] or '')[:10]})."
        )
    figure.text(0.01, top, "\n".join(lines), fontsize=9.5, va="top", color="#333333")


def _legend(figure: Figure, graph: Graph) -> None:
    from matplotlib.lines import Line2D

    present = {kind_of(n) for n in graph["nodes"]}
    handles: list[Any] = [
        Line2D([], [], marker=k.marker, linestyle="none", markersize=11, color=k.colour,
               markeredgecolor="#222222", label=k.legend)
        for k in KINDS if k.name in present
    ]  # fmt: skip
    handles += [
        Line2D([], [], color=HIGHLIGHT, linewidth=3.5, label="largest channel (highlighted)"),
        Line2D([], [], color=OTHER_LEG, linewidth=1.5, label="other channels"),
    ]
    figure.legend(
        handles=handles, loc="lower center", ncol=min(len(handles), 5), frameon=False,
        fontsize=9, bbox_to_anchor=(0.5, 0.0),
    )  # fmt: skip
