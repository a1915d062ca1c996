"""The case page's own forms (propose, comment, add evidence, return) refused by the server.

A refusal drew a bare error page: what the analyst had typed (a reason of many lines, a
comment) was gone, to be typed again from memory. Now the case page comes back with every typed
value in its field and the refusal next to the field that mends it, as the report form does.
"""

from __future__ import annotations

import html
import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _case(person: Any) -> str:
    page = person.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    return str(person.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])


def _textarea(page: str, form: str, name: str) -> str:
    """What a form's textarea shows (unescaped)."""
    block = re.search(rf'<form [^>]*id="{form}".*?</form>', page, re.S)
    assert block, f"no form {form}"
    found = re.search(rf'<textarea [^>]*name="{name}"[^>]*>(.*?)</textarea>', block.group(0), re.S)
    assert found, f"no textarea {name} in form {form}"
    shown = html.unescape(found.group(1))
    return shown[1:] if shown.startswith("\n") else shown  # as HTML reads a textarea


def _error(page: str, field_id: str) -> str:
    found = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</', page, re.S)
    assert found, f"no error shown at {field_id}"
    return html.unescape(found.group(1))


def test_a_refused_proposal_keeps_the_reason_and_says_why_at_it(ui: Any) -> None:
    ana = ui("ana")
    case = _case(ana)
    reason = "Listed man paid <b>twice</b>\nsee the channel. " + "x" * 4100  # over goAML's 4000
    fields = {"decision": "report", "report_type": "LTKM", "reason": reason}
    refused = ana.post(f"{case}/propose", fields, case)
    assert refused.status_code == 400
    page = refused.text
    assert _textarea(page, "propose", "reason") == reason
    assert "4000" in _error(page, "propose-reason")
    assert 'aria-describedby="propose-reason-error"' in page
    assert re.search(r"<option selected>LTKM</option>", page), "the report type chosen is lost"
    assert "<b>twice</b>" not in page  # what was typed stays text
    assert '<span class="status open">' in ana.get(case).text  # nothing was proposed


def test_a_refused_piece_of_evidence_keeps_its_kind_and_ref(ui: Any) -> None:
    ana = ui("ana")
    case = _case(ana)
    refused = ana.post(f"{case}/add", {"kind": "account", "ref": "ACC-NOWHERE <i>"}, case)
    assert refused.status_code == 404
    page = refused.text
    assert 'id="add"' in page  # the case page again, not a bare error page
    ref = re.search(r'<input [^>]*name="ref"[^>]*value="([^"]*)"', page)
    assert ref and html.unescape(ref.group(1)) == "ACC-NOWHERE <i>"
    assert re.search(r"<option selected>account</option>", page)
    assert "ACC-NOWHERE" in _error(page, "add-ref")


def test_a_refused_comment_keeps_its_text(ui: Any) -> None:
    ana = ui("ana")
    case = _case(ana)
    refused = ana.post(f"{case}/comment", {"text": "   \n  "}, case)
    assert refused.status_code == 400
    assert _textarea(refused.text, "comment", "text") == "   \n  "
    assert "text" in _error(refused.text, "comment-text")


def test_a_refused_return_keeps_the_reason(ui: Any) -> None:
    # The supervisor returns a case the analyst already took back to work (two tabs): the
    # workflow refuses, and the reason the supervisor wrote is still in the form.
    ana, sam = ui("ana"), ui("sam")
    case = _case(ana)
    fields = {"decision": "report", "report_type": "LTKMT", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    stale = sam.csrf(case)
    assert sam.post(f"{case}/return", {"reason": "first"}, case).status_code == 303
    refused = sam.client.post(f"{case}/return", data={"csrf": stale, "reason": "more <s>proof"})
    assert refused.status_code == 409
    page = refused.text
    said = re.search(r'<div class="error" role="alert" id="work-refused">(.*?)</div>', page, re.S)
    assert said and "more &lt;s&gt;proof" in said.group(1)  # kept, though the form is gone


def test_another_agency_refused_on_a_form_still_gets_the_missing_case(ui: Any) -> None:
    ana, bob = ui("ana"), ui("bob")
    case = _case(ana)
    for action, typed in (
        ("propose", {"decision": "report", "reason": "x"}),
        ("comment", {"text": " "}),
        ("add", {"kind": "alert", "ref": "x"}),
    ):
        refused = bob.post(f"{case}/{action}", typed)
        assert refused.status_code == 404, action
        assert 'id="propose"' not in refused.text and case.rsplit("/", 1)[1] in refused.text
