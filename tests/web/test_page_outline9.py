"""What a screen reader's user moves through: one h1 a page, no heading level skipped, and every
field of every form named by a label."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


class Outline(HTMLParser):
    """The page's heading levels and the fields of its forms that no label names."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.open: list[str] = []
        self.fields: list[tuple[str | None, str | None]] = []  # (name, id) outside a label
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        named = "label" in self.open or found.get("aria-label")
        kind = found.get("type")
        if tag in ("input", "select", "textarea") and kind != "hidden" and not named:
            self.fields.append((found.get("name"), found.get("id")))
        if tag not in ("input", "br", "meta", "link", "img", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def test_headings_go_down_one_level_at_a_time_and_fields_are_labelled(ui: Any) -> None:
    # The case page and the network view went from the page's h1 to an h3 ("Propose", "Paths
    # of the money"): a reader listing the headings met a level missing.
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text)[0]
    case = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"])
    pages = ["/ui/alerts", f"/ui/alerts/{alert}", "/ui/cases", case, f"{case}/network",
             "/ui/entities?q=rusdan", "/ui/screening?name=abu+rusdan", "/ui/lists",
             "/ui/lists/dttot", "/ui/accounts/ACC-MULE", "/ui/no-such-page"]  # fmt: skip
    for url in pages:
        outline = Outline()
        outline.feed(ana.get(url).text)
        assert outline.levels.count(1) == 1, url
        skipped = [(a, b) for a, b in itertools.pairwise(outline.levels) if b > a + 1]
        assert not skipped, f"{url}: heading levels {outline.levels}"
        unnamed = [f for f in outline.fields if f[1] not in outline.labelled]
        assert not unnamed, f"{url}: fields without a label {unnamed}"


def test_the_language_menu_waits_for_its_button_and_the_menu_can_be_skipped(ui: Any) -> None:
    # The language menu sent its form on change: a keyboard user going through the languages
    # with the arrow keys was taken off the page at the first one. And every page began with
    # the whole menu bar before its content, with no way past it.
    page = ui("ana").get("/ui/alerts").text
    menu = re.search(r'<form [^>]*id="language-form".*?</form>', page, re.S)
    assert menu and "onchange" not in menu.group(0)
    assert re.search(r"<button[^>]*>Save</button>", menu.group(0))
    assert "<noscript>" not in menu.group(0)
    first = re.search(r"<body>\s*<a [^>]*href=\"#main\"[^>]*>([^<]+)</a>", page)
    assert first and first.group(1) == "Skip to the page&#39;s content"
    assert '<main id="main"' in page
