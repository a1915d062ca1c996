"""The approve form names the proposal its approver read.

The API and the command line take the proposal read (`proposed_at`, its decision) and refuse
an approval once another proposal stands; the web form sent nothing, so a supervisor who read
"report" and clicked Approve after the case had been returned and proposed "close" approved a
closing they never read. The form now carries what it showed, and a changed proposal is
refused on the case page, which shows the proposal that stands now.
"""

from __future__ import annotations

import html
import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _case(person: Any) -> str:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    return str(person.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])


def _form_fields(page: str, form: str) -> dict[str, str]:
    """What a browser sends for a form of the page: its hidden inputs, as drawn."""
    block = re.search(rf'<form [^>]*id="{form}".*?</form>', page, re.S)
    assert block, f"no form {form}"
    inputs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', block.group(0))
    return {name: html.unescape(value) for name, value in inputs}


def test_the_approve_form_sends_the_proposal_shown(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _case(ana)
    fields = {"decision": "report", "report_type": "LTKMT", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    sent = _form_fields(sam.get(case).text, "approve")
    assert sent.get("decision") == "report"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", sent.get("proposed_at", ""))
    approved = sam.client.post(f"{case}/approve", data=sent, follow_redirects=False)
    assert approved.status_code == 303
    assert 'class="status approved"' in sam.get(case).text


def test_a_proposal_replaced_while_read_is_not_approved(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _case(ana)
    fields = {"decision": "report", "report_type": "LTKMT", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    read = _form_fields(sam.get(case).text, "approve")  # sam reads "report"...
    assert sam.post(f"{case}/return", {"reason": "more proof"}, case).status_code == 303
    closing = {"decision": "close", "reason": "a known donor after all"}
    assert ana.post(f"{case}/propose", closing, case).status_code == 303  # ...now "close"
    refused = sam.client.post(f"{case}/approve", data=read, follow_redirects=False)
    assert refused.status_code == 409
    page = refused.text
    said = re.search(r'id="work-refused">(.*?)</div>', page, re.S)
    assert said, "the refusal is not said on the case page"
    assert "no longer the one pending" in html.unescape(said.group(1))
    assert "a known donor after all" in page  # the proposal that stands is shown to read
    assert _form_fields(page, "approve")["decision"] == "close"  # and offered to approve
    assert 'class="status proposed"' in sam.get(case).text  # nothing was approved
