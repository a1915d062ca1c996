"""Which cases of how many a page of the case list shows. The alert queue's pager says it
("3–4 of 5"); the case list's gave only "Previous" and "Next", so a screen reader user moving
through the pages never heard where they were."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from jalur.web import pages

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
PAGER = re.compile(r'<nav class="pager"[^>]*>(.*?)</nav>', re.S)


def _pager(page: str) -> str:
    found = PAGER.search(page)
    assert found, "no pager"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_case_lists_pager_says_which_cases_of_how_many(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "stack"}).text)[0]
    for number in range(3):
        title = {"title": f"pager {number}"}
        assert ana.post(f"/ui/alerts/{alert}/case", title).status_code == 303
    monkeypatch.setattr(pages, "CASE_PAGE_SIZE", 2)  # the module's only cases: 3
    assert "1–2 of 3" in _pager(ana.get("/ui/cases", params={"sort": "opened"}).text)
    last = ana.get("/ui/cases", params={"sort": "opened", "offset": 2}).text
    assert "3–3 of 3" in _pager(last)
