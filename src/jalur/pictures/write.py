"""One entry point for every channel picture: the file's suffix picks the kind."""

from __future__ import annotations

from pathlib import Path

from jalur.pictures.interactive import channel_html
from jalur.pictures.layout import Graph
from jalur.pictures.static import STILL_FORMATS, draw_channel

PICTURE_FORMATS = (".html", *STILL_FORMATS)


def write_picture(
    graph: Graph,
    path: Path,
    *,
    title: str | None = None,
    channel_id: str | None = None,
    limit: int | None = None,
) -> Path:
    """Draw the channel graph to `path`: .html (interactive), .svg or .png (still).

    `limit`: the largest channels to show (default 30 interactive, 8 still)."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        path.parent.mkdir(parents=True, exist_ok=True)
        page = channel_html(graph, title=title, channel_id=channel_id, limit=limit or 30)
        path.write_text(page, "utf-8")
        return path
    return draw_channel(graph, path, title=title, channel_id=channel_id, limit=limit or 8)
