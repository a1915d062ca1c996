"""One page that shows what a monitoring pass found: charts first, numbers beside them.

The page is one HTML file with its charts inlined as SVG (matplotlib, text kept as text), so
it opens offline, prints, and can be attached to a case. Input: the plain summary of
`jalur.monitoring.run_summary`.
"""

from __future__ import annotations

import io
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from jalur.pictures.style import money

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Summary = dict[str, Any]
SECTIONS = ("alerts-by-typology", "score-distribution", "top-accounts", "exposure")
BAR = "#3b6aa0"


def run_report_html(summary: Summary, *, currency: str | None = None) -> str:
    """The one-page HTML summary of a monitoring run."""
    template = files("jalur.pictures").joinpath("templates/run_report.html").read_text("utf-8")
    parts = {
        "@@RUN@@": escape(str(summary["run_id"])),
        "@@HEADLINE@@": escape(_headline(summary)),
        "@@TYPOLOGY_CHART@@": _typology_chart(summary),
        "@@SCORE_CHART@@": _score_chart(summary),
        "@@TOP_CHART@@": _top_chart(summary),
        "@@TOP_TABLE@@": _top_table(summary),
        "@@EXPOSURE_CHART@@": _exposure_chart(summary),
        "@@EXPOSURE_TABLE@@": _exposure_table(summary, currency),
    }
    for marker, html in parts.items():
        template = template.replace(marker, html)
    return template


def _headline(summary: Summary) -> str:
    """`payments` counts those between two known accounts; `payments_loaded` all of them."""
    graph = summary["payments"] or 0
    loaded = summary.get("payments_loaded")
    counted = (
        f"{loaded:,} payments ({graph:,} between two known accounts)"
        if loaded
        else f"{graph:,} payments between two known accounts"
    )
    return (
        f"{summary['alerts']:,} alerts over {counted} "
        f"({summary['engine']}), started {_when(summary['started'])}, "
        f"finished {_when(summary['finished'])}."
    )


def _when(value: str | None) -> str:
    """2026-12-06T20:41:58.470863Z → 2026-12-06 20:41:58 UTC."""
    return f"{value[:10]} {value[11:19]} UTC" if value else "unknown"


def svg(figure: Figure) -> str:
    """The figure as inline SVG markup (no XML prolog, text as text, no date)."""
    import matplotlib as mpl

    out = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "jalur"}):
        figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = out.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(left=0.3, right=0.97, top=0.95, bottom=0.15)
    return figure


def _typology_chart(summary: Summary) -> str:
    counts = sorted(summary["by_typology"].items(), key=lambda kv: (kv[1], kv[0]))
    if not counts:
        return "<p>No alerts.</p>"
    figure = _figure(7.0, 0.35 * len(counts) + 1.0)
    axes = figure.add_subplot()
    bars = axes.barh([k for k, _ in counts], [v for _, v in counts], color=BAR)
    axes.bar_label(bars, labels=[f"{v:,}" for _, v in counts], padding=3, fontsize=9)
    axes.set_xlabel("alerts")
    axes.spines[["top", "right"]].set_visible(False)
    return svg(figure)


def _score_chart(summary: Summary) -> str:
    scores = summary["scores"]
    if not scores:
        return "<p>No scores.</p>"
    figure = _figure(7.0, 3.2)
    figure.subplots_adjust(left=0.1)
    axes = figure.add_subplot()
    ranked = sorted(scores, key=lambda t: -len(scores[t]))
    main = ranked[:6]
    rest = [s for t in ranked[6:] for s in scores[t]]
    series = [scores[t] for t in main] + ([rest] if rest else [])
    names = main + (["other typologies"] if rest else [])
    bins = [i / 20 for i in range(21)]
    colours = _typology_colours(summary)
    shades = [colours.get(n, "#cccccc") for n in names]
    axes.hist(series, bins=bins, stacked=True, label=names, color=shades)
    axes.set_xlabel("alert score")
    axes.set_ylabel("alerts")
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return svg(figure)


def _who(row: dict[str, Any]) -> str:
    return f"{row.get('holder') or '(holder unknown)'} ({row['account']})"


def _top_chart(summary: Summary) -> str:
    rows = list(reversed(summary["top_accounts"]))
    if not rows:
        return "<p>No alerted accounts.</p>"
    figure = _figure(7.0, 0.36 * len(rows) + 1.4)
    figure.subplots_adjust(left=0.45)
    axes = figure.add_subplot()
    colours = _typology_colours(summary)
    labels = [_who(r) for r in rows]
    left = [0.0] * len(rows)
    seen: set[str] = set()
    for typology in colours:
        widths = [_score_of(r, typology) for r in rows]
        if not any(widths):
            continue
        axes.barh(labels, widths, left=left, color=colours[typology], edgecolor="white",
                  label=typology if typology not in seen else None)  # fmt: skip
        seen.add(typology)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, row in enumerate(rows):
        axes.text(left[y] + 0.03, y, f"{row['alerts']} alert(s)", va="center", fontsize=8)
    axes.set_xlabel("sum of the best score in each typology that alerted")
    axes.set_xlim(0, max(left) * 1.25)
    axes.legend(fontsize=7.5, frameon=False, loc="upper center", ncol=3,
                bbox_to_anchor=(0.3, -0.22))  # fmt: skip
    axes.spines[["top", "right"]].set_visible(False)
    return svg(figure)


def _score_of(row: dict[str, Any], typology: str) -> float:
    scores = dict(zip(row.get("typologies") or [], row.get("scores") or [], strict=True))
    return float(scores.get(typology, 0.0))


def _typology_colours(summary: Summary) -> dict[str, str]:
    """One colour per typology, the same in every chart of the page."""
    names = sorted(summary["by_typology"] or summary["scores"])
    palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    ]  # fmt: skip
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def _top_table(summary: Summary) -> str:
    head = "<tr><th>account</th><th>holder</th><th>bank</th><th>country</th><th>alerts</th>"
    head += "<th>best score</th><th>typologies (best score)</th></tr>"
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
            r["account"], r.get("holder") or "", r.get("bank") or "", r.get("country") or "",
            r["alerts"], f"{r['best']:.3f}", _typology_scores(r),
        )) + "</tr>"
        for r in summary["top_accounts"]
    )  # fmt: skip
    return f"<table>{head}{body}</table>"


def _typology_scores(row: dict[str, Any]) -> str:
    pairs = zip(row["typologies"] or [], row["scores"] or [], strict=True)
    return ", ".join(f"{t} {v:.2f}" for t, v in pairs)


def _exposure_chart(summary: Summary) -> str:
    rows = summary["exposure"]
    if not rows:
        return "<p>No exposure was kept for this run (exposure is kept for the latest pass).</p>"
    figure = _figure(7.0, 2.4)
    figure.subplots_adjust(left=0.12)
    axes = figure.add_subplot()
    topics = [r["topic"] for r in rows]
    width = 0.38
    places = range(len(rows))
    reached = axes.barh([p + width / 2 for p in places], [r["accounts"] for r in rows], width,
                        color="#9ecae1", label="accounts reached")  # fmt: skip
    above = axes.barh([p - width / 2 for p in places], [r["above"] for r in rows], width,
                      color="#c4122f", label=f"score ≥ {summary['min_exposure']}")  # fmt: skip
    axes.bar_label(reached, padding=3, fontsize=8, fmt="{:,.0f}")
    axes.bar_label(above, padding=3, fontsize=8, fmt="{:,.0f}")
    axes.set_yticks(list(places), topics)
    axes.set_xlabel("accounts exposed")
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    return svg(figure)


def _exposure_table(summary: Summary, currency: str | None) -> str:
    head = (
        "<tr><th>topic</th><th>accounts reached</th>"
        f"<th>score ≥ {summary['min_exposure']}</th><th>highest score</th>"
        "<th>traced money (summed over accounts)</th><th>seeds named</th></tr>"
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
            r["topic"], f"{r['accounts']:,}", f"{r['above']:,}", f"{r['best']:.3f}",
            money(r["amount"] or 0.0, currency), f"{r['seeds']:,}",
        )) + "</tr>"
        for r in summary["exposure"]
    )  # fmt: skip
    return f"<table>{head}{body}</table>"
