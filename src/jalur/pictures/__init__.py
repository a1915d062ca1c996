"""Pictures where people would rather look than read: the traced channel and a run's summary.

Everything here draws plain data and imports no other jalur capability, so the CLI and the
web UI use the same component:

- `cytoscape_elements(graph)`: the channel graph (`jalur.monitoring.channel_graph`) as
  Cytoscape.js elements with a left-to-right layout; `cytoscape_style()` its stylesheet;
  `cytoscape_script()` the Cytoscape.js shipped in this package (MIT, vendor/cytoscape/).
- `channel_html(graph)`: a self-contained interactive page (zoom, pan, hover, click).
- `draw_channel(graph, path)`: a still picture, SVG or PNG (networkx + matplotlib).
- `write_picture(graph, path)`: either, by the file's suffix (`PICTURE_FORMATS`).
- `run_report_html(summary)`: one page of charts for a monitoring run
  (`jalur.monitoring.run_summary`).

matplotlib and networkx are imported only when a picture is drawn.
"""

from __future__ import annotations

from jalur.pictures.interactive import (
    channel_html,
    cytoscape_elements,
    cytoscape_script,
    cytoscape_style,
)
from jalur.pictures.layout import Graph, positions, top_channels
from jalur.pictures.report import SECTIONS, run_report_html
from jalur.pictures.static import STILL_FORMATS, draw_channel
from jalur.pictures.write import PICTURE_FORMATS, write_picture

__all__ = [
    "PICTURE_FORMATS",
    "SECTIONS",
    "STILL_FORMATS",
    "Graph",
    "channel_html",
    "cytoscape_elements",
    "cytoscape_script",
    "cytoscape_style",
    "draw_channel",
    "positions",
    "run_report_html",
    "top_channels",
    "write_picture",
]
