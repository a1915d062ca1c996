"""An alert worked twice: a colleague's queue, loaded before the alert was worked, still offers
"Open a case" on it. Sent, it opened a second case on the same alert (two analysts on one
lead, two decisions to reconcile). The form now says it was drawn for an alert with no case,
and the browser goes to the case already opened, told so.
"""

from __future__ import annotations

import re
from typing import Any

from jalur.web import pages

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_opening_a_case_on_a_worked_alert_goes_to_its_case(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    page = sam.get("/ui/alerts", params={"typology": "terror_exposure"}).text  # sam's stale page
    alert = ALERT.findall(page)[-1]
    first = ana.post(f"/ui/alerts/{alert}/case", {})
    assert first.status_code == 303
    before = ana.get("/ui/cases").text.count('class="mono" href="/ui/cases/')
    form = re.search(rf'action="/ui/alerts/{alert}/case".*?</form>', page, re.S)
    assert form and '<input type="hidden" name="unworked" value="1">' in form.group(0)
    again = sam.post(f"/ui/alerts/{alert}/case", {"assignee": "sam", "unworked": "1"})
    assert again.status_code == 303
    assert again.headers["location"].split("?")[0] == first.headers["location"]
    assert ana.get("/ui/cases").text.count('class="mono" href="/ui/cases/') == before
    shown = sam.get(again.headers["location"]).text
    said = re.search(r'id="already-opened"[^>]*>(.*?)</p>', shown, re.S)
    assert said and alert in said.group(1)
    assert "already-opened" not in sam.get(first.headers["location"]).text
    forged = sam.get(first.headers["location"] + "?opened_on=ALR-<b>x</b>").text
    assert "already-opened" not in forged  # only an alert the case holds is named


def test_two_openings_at_the_same_moment_make_one_case(ui: Any, monkeypatch: Any) -> None:
    """The look for a case before opening can miss a colleague's opening made a moment later
    (both looked, then both opened): the database decides, and the second opener is sent to
    the first's case, not given a second one."""
    ana, sam = ui("ana"), ui("sam")
    page = sam.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    alert = ALERT.findall(page)[-1]
    first = ana.post(f"/ui/alerts/{alert}/case", {"unworked": "1"})
    assert first.status_code == 303
    before = ana.get("/ui/cases").text.count('class="mono" href="/ui/cases/')
    monkeypatch.setattr(pages, "_cases_by_alert", lambda access, ids: {})  # looked too early
    again = sam.post(f"/ui/alerts/{alert}/case", {"assignee": "sam", "unworked": "1"})
    assert again.status_code == 303
    case = first.headers["location"].split("?")[0]
    assert again.headers["location"] == f"{case}?opened_on={alert}"
    monkeypatch.undo()
    assert ana.get("/ui/cases").text.count('class="mono" href="/ui/cases/') == before
