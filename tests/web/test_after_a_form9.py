"""A page drawn in answer to a form (a refusal, a report to mend) is at the form's POST-only
address: what the page sends the browser back to (the language menu, signing in again) must be
a page, not that address, which answers a GET with 405."""

from __future__ import annotations

import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
NEXT = re.compile(r'name="next" value="([^"]*)"')


def _case(person: Any) -> str:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    return str(person.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])


def test_the_language_menu_after_a_refused_form_goes_back_to_a_page(ui: Any) -> None:
    ana = ui("ana")
    case = _case(ana)
    # assigning to nobody: a form refused on a bare error page (an approval refused is drawn
    # on its case page, whose address it knows)
    nobody = {"assignee": "nobody"}
    refused = ana.client.post(
        f"{case}/assign",
        data={"csrf": ana.csrf(case), **nobody},
        headers={"referer": f"http://testserver{case}"},
    )
    assert refused.status_code == 400
    assert NEXT.findall(refused.text) == [case]  # the page the form was on
    blind = ana.client.post(f"{case}/assign", data={"csrf": ana.csrf(case), **nobody})
    assert NEXT.findall(blind.text) == ["/ui/"]  # no referer: the home, never the POST
    foreign = ana.client.post(f"{case}/assign", data={"csrf": ana.csrf(case), **nobody},
                              headers={"referer": "https://evil.example/ui/alerts"})  # fmt: skip
    assert NEXT.findall(foreign.text) == ["/ui/"]
    moved = ana.post("/ui/preferences", {"locale": "en", "next": NEXT.findall(refused.text)[0]})
    assert ana.get(moved.headers["location"]).status_code == 200


def test_a_report_to_mend_comes_back_to_its_case(ui: Any) -> None:
    # The refused report is drawn at /ui/cases/{id}/report; sent again from there, the page it
    # came from (its Referer) is that POST-only address too: the case is the page to go back to.
    ana, sam = ui("ana"), ui("sam")
    case = _case(ana)
    fields = {"decision": "report", "report_type": "LTKMT", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    assert sam.post(f"{case}/approve", {}, case).status_code == 303
    again = {"csrf": ana.csrf(case), "rates": "EUR"}
    refused = ana.client.post(
        f"{case}/report", data=again, headers={"referer": f"http://testserver{case}/report"}
    )
    assert refused.status_code == 400 and NEXT.findall(refused.text) == [case]
