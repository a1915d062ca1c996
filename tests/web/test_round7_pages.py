"""Round 7 of the new-user trial: data that could break a page, and numbers in the reader's
locale. Each test names the input that broke the page before its fix."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from jalur.web.pages import script_json


class _Scripts(HTMLParser):
    """What a browser's parser puts in each <script> element, and what it sees after them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.after: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script"
        if not self._inside:
            self.after.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts.append(data)


def test_a_holder_named_like_markup_stays_data_in_the_network_page() -> None:
    # "<!--<script>" in a holder's name put the HTML parser in its "double escaped" state: the
    # page's own </script> then no longer ended the data block and the rest of the page vanished.
    payload = {"name": "<!--<script>x</script>-->", "sep": "\u2028", "amp": "a&b"}
    text = script_json(payload)
    for bad in ("<!--", "<script", "</", "-->", "\u2028"):
        assert bad not in text
    assert json.loads(text) == payload
    parser = _Scripts()
    parser.feed(f'<script type="application/json">{text}</script><p>after</p>')
    assert json.loads("".join(parser.scripts)) == payload
    assert parser.after == ["p"]
