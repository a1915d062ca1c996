"""The case list of an agency with more cases than a page holds: pages, newest first by default,
oldest first when asked, the filters kept from page to page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jalur.web import pages

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
CASE = re.compile(r'href="/ui/cases/(CASE-[0-9A-F]+)"')


def _open_cases(person: Any, count: int) -> list[str]:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    alert = ALERT.findall(page)[0]
    opened = []
    for number in range(count):
        answer = person.post(f"/ui/alerts/{alert}/case", {"title": f"lead {number}"})
        assert answer.status_code == 303, answer.text
        opened.append(str(answer.headers["location"]).rsplit("/", 1)[1])
    return opened


def _pages(person: Any, **params: Any) -> list[list[str]]:
    """Each page's cases, following the pages' own "next" links from the first."""
    found = []
    url: str | None = "/ui/cases"
    while url:
        page = person.get(url, params=params if url == "/ui/cases" else None).text
        found.append(CASE.findall(page))
        link = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = "/ui/cases" + link.group(1).replace("&amp;", "&") if link else None
    return found


def test_a_long_case_list_comes_in_pages_newest_first(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every case was on one page, oldest first: an agency's newest case was at the very end of
    # a page that grew without bound.
    ana = ui("ana")
    opened = _open_cases(ana, 5)
    monkeypatch.setattr(pages, "CASE_PAGE_SIZE", 2)
    first = ana.get("/ui/cases", params={"status": "open"}).text
    assert re.search(r"<h1>Cases <small>5</small>", first)  # all of them counted
    newest = _pages(ana, status="open")
    assert [len(p) for p in newest] == [2, 2, 1]  # the filter kept from page to page
    oldest = _pages(ana, status="open", sort="opened")
    flat = [case for p in newest for case in p]
    assert sorted(flat) == sorted(opened) and flat == [c for p in oldest for c in p][::-1]
    assert ana.get("/ui/cases", params={"sort": "title; DROP"}).status_code == 422
