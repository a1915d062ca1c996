"""The alert queue a page at a time, both ways round.

The queue's pager was a bare paragraph of two links: no landmark to jump to, no `rel`, and no
word of where the page is in the queue ("which of the 4,000 alerts am I looking at?"). Its
pages must also, put together, be the whole queue in the order chosen, each alert once.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from jalur.web import pages

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
PAGER = re.compile(r'<nav class="pager" aria-label="[^"]+">(.*?)</nav>', re.S)


def _walk(person: Any, sort: str) -> tuple[list[str], list[str]]:
    """Every page of the queue from the first on, by its Next link: alerts, and each page's
    position as the pager says it."""
    url: str | None = f"/ui/alerts?sort={sort}"
    seen: list[str] = []
    said: list[str] = []
    while url:
        page = person.get(url).text
        seen += list(dict.fromkeys(ALERT.findall(page)))
        pager = PAGER.search(page)
        assert pager, url
        said.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", pager.group(1))).strip())
        after = re.search(r'<a rel="next" href="([^"]+)"', pager.group(1))
        url = "/ui/alerts" + html.unescape(after.group(1)) if after else None
    return seen, said


def test_the_queues_pages_make_the_whole_queue_and_say_where_they_are(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = ui("ana")
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    best, said = _walk(ana, "-score")
    total = len(best)
    assert total >= 5 and len(set(best)) == total
    assert said[0].startswith(f"1–2 of {total}") and said[1].startswith(f"3–4 of {total}")
    assert "Previous" in said[1] and "Previous" not in said[0]
    worst, _ = _walk(ana, "score")
    assert worst == list(reversed(best))
