"""Every text field of the UI says how much the server takes (`maxlength`).

The server bounds each field (a title 500 characters, a screened name 500, a comment 10,000);
a field that did not say so let the analyst type past it, and the whole form came back as a
refusal page ("title: String should have at most 500 characters") with what was typed gone.
The bounds are read from the routes themselves, so a bound changed there is checked here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from jalur.web.pages import router

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
TEXT_KINDS = {None, "text", "search", "password", "email"}


def _bounds() -> dict[str, int]:
    """Each form or query field's tightest bound among the UI's routes."""
    found: dict[str, int] = {}
    for route in router.routes:
        dependant = getattr(route, "dependant", None)
        for param in (dependant.query_params + dependant.body_params) if dependant else []:
            for rule in param.field_info.metadata:
                most = getattr(rule, "max_length", None)
                if most is not None:
                    found[param.name] = min(most, found.get(param.name, most))
    return found


class Fields(HTMLParser):
    """The text fields of a page: (name, maxlength or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        text = tag == "textarea" or (tag == "input" and given.get("type") in TEXT_KINDS)
        if text and "readonly" not in given and given.get("name"):
            self.found.append((str(given["name"]), given.get("maxlength")))


def test_every_text_field_states_the_servers_bound(ui: Any) -> None:
    bounds = _bounds()
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text)[-1]
    pages = ["/ui/alerts", f"/ui/alerts/{alert}", "/ui/cases", "/ui/entities", "/ui/screening"]
    shown = {url: ana.get(url).text for url in pages}  # the alert's page before it is worked
    case = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"])
    shown[case] = ana.get(case).text
    ana.client.cookies.clear()  # … and the sign-in page
    shown["/ui/sign-in"] = ana.get("/ui/sign-in").text
    for url, page in shown.items():
        fields = Fields()
        fields.feed(page)
        assert fields.found, url
        for name, stated in fields.found:
            assert name in bounds, f"{url}: field {name} has no bound on the server"
            assert stated is not None and int(stated) <= bounds[name], (url, name, stated)
