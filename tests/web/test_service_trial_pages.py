"""A new agency's trial of the web UI alongside the API: what the pages did that the docs
did not say. Each test names the input that misled before its fix."""

from __future__ import annotations

import re
from typing import Any

from case_story import PW

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_a_proposal_to_close_from_the_page_carries_no_report_type(ui: Any) -> None:
    # The propose form sends its report-type select (LTKMT preselected) whatever the decision:
    # a proposal to close was stored, audited and shown as "close (LTKMT)", a report type for
    # a decision that makes no report.
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"]
    fields = {"decision": "close", "report_type": "LTKMT", "reason": "a shop's takings"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    shown = ana.get(case).text
    assert "(LTKMT)" not in shown and "a shop&#39;s takings" in shown, shown
    case_id = case.rsplit("/", 1)[1]
    token = ana.client.post("/v1/auth/token", data={"username": "ana", "password": PW})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    found = ana.get(f"/v1/cases/{case_id}", headers=bearer).json()
    assert found["decision"] == {**found["decision"], "decision": "close", "report_type": None}


def test_the_audit_page_records_its_read(ui: Any) -> None:
    # The audit page lists the trail's recent entries, as `jalur audit show` does, which
    # records `audit.show`; the page left no entry of who read the trail.
    sam = ui("sam")
    assert sam.get("/ui/audit").status_code == 200
    shown = sam.get("/ui/audit").text  # the first visit is now among the recent entries
    assert re.search(r"<td>sam</td><td>audit\.show</td>", shown), shown[-2000:]
