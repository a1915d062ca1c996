"""The proposer takes a proposal back from the case page.

The API (`POST /v1/cases/{id}/withdraw`) and `jalur cases withdraw` let the proposer withdraw a
proposal nobody has decided on yet (found wrong, evidence to add); the web offered no such
form, so an analyst on the web had to ask a supervisor to return their own proposal.
"""

from __future__ import annotations

import html
import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _proposed(person: Any) -> str:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = str(person.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])
    fields = {"decision": "close", "reason": "a known donor"}
    assert person.post(f"{case}/propose", fields, case).status_code == 303
    return case


def test_the_proposer_withdraws_a_proposal_from_the_case_page(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _proposed(ana)
    assert 'id="withdraw"' in ana.get(case).text
    assert 'id="withdraw"' not in sam.get(case).text  # the proposer's own
    done = ana.post(f"{case}/withdraw", {"reason": "the donor is a front"}, case)
    assert done.status_code == 303
    page = ana.get(case).text
    assert 'class="status investigating"' in page and "the donor is a front" in page
    assert 'id="approve"' not in sam.get(case).text  # nothing left to approve


def test_a_refused_withdrawal_keeps_its_reason(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _proposed(ana)
    stale = ana.csrf(case)
    assert sam.post(f"{case}/approve", {}, case).status_code == 303  # decided meanwhile
    refused = ana.client.post(f"{case}/withdraw", data={"csrf": stale, "reason": "too <b>late"})
    assert refused.status_code == 409
    said = re.search(r'id="work-refused">(.*?)</div>', refused.text, re.S)
    assert said and "too <b>late" in html.unescape(said.group(1))
    assert "too <b>late" not in refused.text
