"""The audit page's recent entries: the heading counted every entry of the trail (thousands)
over a table of the latest 50, read as the number of rows shown; it now says the latest how
many of how many are shown."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from jalur.web import pages

HEADING = re.compile(r"<h2>Recent entries(.*?)</h2>", re.S)


def test_the_audit_page_says_how_many_of_the_entries_it_shows(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam = ui("sam")
    monkeypatch.setattr(pages, "AUDIT_ENTRIES", 3)
    page = sam.get("/ui/audit").text
    heading = HEADING.search(page)
    assert heading, "no recent entries"
    said = html.unescape(re.sub(r"<[^>]+>", "", heading.group(1)))
    total = re.search(r"the latest 3 of ([0-9,]+)", said)
    assert total, said
    assert int(total.group(1).replace(",", "")) > 3
    rows = re.findall(r"<tr><td>", page.split("Recent entries", 1)[1])
    assert len(rows) == 3
