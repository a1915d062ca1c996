"""The alert page's "Open a case" form refused (the colleague chosen was disabled, or moved to
another agency, while the page was open): a bare error page, the title the analyst had
written gone. The alert page now comes back with the title as typed and the refusal at the
assignee it names."""

from __future__ import annotations

import html
import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_a_refused_case_opening_keeps_the_title_typed(ui: Any) -> None:
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "listed_counterparty"}).text)[0]
    url = f"/ui/alerts/{alert}"
    title = 'Cell <b>"financier"</b> paid thrice'
    refused = ana.post(f"{url}/case", {"title": title, "assignee": "gone", "unworked": "1"}, url)
    assert refused.status_code == 400
    page = refused.text
    field = re.search(r'<input name="title"[^>]*value="([^"]*)"', page)
    assert field and html.unescape(field.group(1)) == title
    said = re.search(r'id="assignee-error"[^>]*>(.*?)</', page, re.S)
    assert said and "gone" in html.unescape(said.group(1))
    assert 'aria-describedby="assignee-error"' in page
    assert "<b>" not in page.split("<main", 1)[1]  # the title typed stays text
    assert 'action="' + url + '/case"' in ana.get(url).text  # no case was opened


def test_a_refused_case_opening_is_said_on_an_alert_with_a_case(ui: Any) -> None:
    # an alert already worked: the page offers no form to open another, the refusal is said
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "drug_exposure"}).text)[0]
    url = f"/ui/alerts/{alert}"
    assert ana.post(f"{url}/case", {}, url).status_code == 303
    refused = ana.post(f"{url}/case", {"assignee": "gone"}, url)
    assert refused.status_code == 400
    said = re.search(r'id="assignee-error"[^>]*>(.*?)</', refused.text, re.S)
    assert said and "no user gone" in html.unescape(said.group(1))
