"""What was typed comes back in its field exactly as typed.

Every value a page writes has its open direction controls closed at its end (`bidi.closed`),
so a right-to-left override in a name cannot turn the rest of a line around. Written into a
form field, that closing became part of the value: a name screened with an override came back
in the name field with an invisible U+202C added, and a refused reason, sent again, was
stored with it. A field holds what was typed; nothing follows it on the page's line there.
"""

from __future__ import annotations

import html
import re
from typing import Any

RLO, PDF = "\u202e", "\u202c"
ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _value(page: str, name: str) -> str:
    found = re.search(rf'<input name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def test_a_screened_name_comes_back_in_its_field_as_typed(ui: Any) -> None:
    typed = f"Abu {RLO}nadsuR"
    page = ui("ana").get("/ui/screening", params={"name": typed}).text
    assert _value(page, "name") == typed


def test_a_refused_reason_comes_back_as_typed(ui: Any) -> None:
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = str(ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])
    reason = f"paid by {RLO}idub" + "x" * 4100  # over goAML's 4000: refused
    refused = ana.post(f"{case}/propose", {"decision": "report", "reason": reason}, case)
    assert refused.status_code == 400
    form = re.search(r'<form [^>]*id="propose".*?</form>', refused.text, re.S)
    assert form
    shown = re.search(r'<textarea [^>]*name="reason"[^>]*>\n(.*?)</textarea>', form.group(0), re.S)
    assert shown and html.unescape(shown.group(1)) == reason
