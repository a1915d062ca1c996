"""A supervisor of one agency reaches nothing of a second agency's in the same service: not
read, counted, assigned or reported, through the API or the web pages.

BNN loads its own lists and payments, runs monitoring and works a case; the default agency's
supervisor `sam` (and analyst `ana`) then try every way in: lists, searches, counts, alert and
case ids, filters, jobs, the trail, shares, reports, assignments, and the web pages.
"""

from __future__ import annotations

import json
import re
from typing import Any

from api_world import World
from test_agency_seeds import BNN_PAYMENTS, _job, _list, _run

from case_story import PW

#: What of BNN's must never reach the default agency's users.
BNN_MARKS = ("ACC-N-", "bnn-teror", "bnn-narkoba", "Hambali", "Freddy Budiman", "Kurir Satu")


def _bnn_world(world: World) -> dict[str, str]:
    """BNN's data and a case of its own (once per module)."""
    found = getattr(world, "_bnn", None)
    if found is not None:
        return dict(found)
    _list(world, "bob", "bnn-narkoba", "Freddy Budiman", "crime.traffick.drug")
    _list(world, "bea", "bnn-teror", "Hambali Isamuddin", "crime.terror")
    loaded = world.post("bob", "/v1/payments", files={"file": ("n.csv", BNN_PAYMENTS)},
                        data={"format": "csv"})  # fmt: skip
    load_job = loaded.json()["job_id"]
    _job(world, "bob", loaded)
    run = _run(world, "bob")
    run_id = run["result"]["run_id"]
    alerts = world.get("bob", "/v1/alerts", params={"run_id": run_id}).json()["alerts"]
    assert alerts, run
    case = world.post("bob", "/v1/cases", json={
        "title": "BNN courier", "evidence": [{"kind": "alert", "ref": alerts[0]["alert_id"]}],
    })  # fmt: skip
    assert case.status_code == 201, case.text
    case_id = case.json()["case_id"]
    assert (
        world.post("bob", f"/v1/cases/{case_id}/assign", json={"assignee": "bea"}).status_code
        == 200
    )
    assert (
        world.post("bob", f"/v1/cases/{case_id}/comment", json={"text": "Kurir Satu"}).status_code
        == 200
    )
    found = {"case": case_id, "run": run_id, "alert": alerts[0]["alert_id"], "job": load_job,
             "typology": alerts[0]["typology"]}  # fmt: skip
    world._bnn = found  # type: ignore[attr-defined]
    return dict(found)


def _leaks(text: str) -> list[str]:
    """BNN's marks in an answer, the name asked for (echoed back) left out."""
    text = text.replace("Hambali Isamuddin", "").replace("Hambali+Isamuddin", "")
    text = text.replace("ACC-N-MULE", "") if "account=ACC-N-MULE" in text else text
    return [m for m in BNN_MARKS if m in text]


def test_the_default_agency_reads_and_counts_nothing_of_bnns(world: World) -> None:
    before = world.get("sam", "/v1/alerts").json()["total"]
    bnn = _bnn_world(world)
    for who in ("sam", "ana"):
        reads = {
            "cases": world.get(who, "/v1/cases"),
            "cases by assignee": world.get(who, "/v1/cases", params={"assignee": "bea"}),
            "alerts": world.get(who, "/v1/alerts", params={"limit": 1000}),
            "alerts of the run": world.get(who, "/v1/alerts", params={"run_id": bnn["run"]}),
            "lists": world.get(who, "/v1/lists"),
            "entities": world.get(who, "/v1/entities", params={"q": "Hambali Isamuddin"}),
            "screening": world.post(who, "/v1/screening/name", json={"name": "Hambali Isamuddin"}),
            "channels": world.get(who, "/v1/channels"),
        }
        for name, answer in reads.items():
            assert answer.status_code == 200, (who, name, answer.text)
            assert not _leaks(answer.text), (who, name, answer.text[:300])
            assert bnn["case"] not in answer.text and bnn["alert"] not in answer.text, name
        assert reads["cases by assignee"].json() == []
        assert reads["alerts of the run"].json()["total"] == 0
    assert world.get("sam", "/v1/alerts").json()["total"] == before  # counted nowhere
    for url, asked in ((f"/v1/cases/{bnn['case']}", bnn["case"]),
                       (f"/v1/alerts/{bnn['alert']}", bnn["alert"]),
                       (f"/v1/jobs/{bnn['job']}", bnn["job"]),
                       ("/v1/entities/bnn-teror-1", "bnn-teror-1"),
                       ("/v1/lists/bnn-teror/versions", "bnn-teror")):  # fmt: skip
        answer = world.get("sam", url)
        assert answer.status_code == 404, (url, answer.text)
        assert not _leaks(answer.text.replace(asked, "")), url
    trail = world.get("sam", "/v1/audit", params={"object": bnn["case"]}).json()
    assert trail["total"] == 0 and not _leaks(json.dumps(trail))


def test_the_default_agency_assigns_reports_and_shares_nothing_of_bnns(world: World) -> None:
    bnn = _bnn_world(world)
    case = f"/v1/cases/{bnn['case']}"
    missing = world.post("sam", "/v1/cases/CASE-0000000000/comment", json={"text": "x"})
    for action, body in (("assign", {"assignee": "sam"}), ("comment", {"text": "x"}),
                         ("propose", {"decision": "close", "reason": "x"}), ("approve", {}),
                         ("return", {"reason": "x"})):  # fmt: skip
        answer = world.post("sam", f"{case}/{action}", json=body)
        assert answer.status_code == 404, (action, answer.text)
        assert answer.json()["detail"] == missing.json()["detail"].replace(
            "CASE-0000000000", bnn["case"]
        )
    assert world.post("sam", f"{case}/report", json={}).status_code == 404
    shared = world.post("sam", "/v1/shares", json={"kind": "case", "ref": bnn["case"],
                                                   "agency": "DEFAULT"})  # fmt: skip
    assert shared.status_code in (403, 404), shared.text
    opened = world.post("sam", "/v1/cases", json={
        "title": "t", "evidence": [{"kind": "alert", "ref": bnn["alert"]}]})  # fmt: skip
    assert opened.status_code == 404, opened.text
    for account in ("ACC-N-MULE", "ACC-N-CELL"):  # BNN's accounts and payments
        answer = world.post("sam", "/v1/cases", json={
            "title": "t", "evidence": [{"kind": "account", "ref": account}]})  # fmt: skip
        assert answer.status_code == 404, answer.text
    mine = world.post("sam", "/v1/cases", json={
        "title": "t", "evidence": [{"kind": "subject", "ref": "dttot-rusdan"}]}).json()  # fmt: skip
    refused = world.post("sam", f"/v1/cases/{mine['case_id']}/assign", json={"assignee": "bea"})
    assert refused.status_code == 400, refused.text
    after = world.get("bob", case).json()
    assert after["assignee"] == "bea" and after["status"] == "investigating"


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _browser(world: World, name: str) -> Any:
    client = world.client.__class__(world.client.app, base_url="http://testserver")
    form = client.get("/ui/sign-in")
    token = _CSRF.search(form.text)
    assert token, form.text
    signed = client.post("/ui/sign-in", data={"username": name, "password": PW,
                         "csrf": token.group(1), "next": ""}, follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303, signed.text
    return client


def test_the_default_agencys_pages_show_nothing_of_bnns(world: World) -> None:
    bnn = _bnn_world(world)
    sam = _browser(world, "sam")
    pages = ["/ui/alerts", "/ui/alerts?account=ACC-N-MULE", "/ui/cases",
             "/ui/cases?assignee=bea", "/ui/entities?q=Hambali+Isamuddin", "/ui/lists",
             "/ui/screening?name=Hambali+Isamuddin", "/ui/audit"]  # fmt: skip
    for url in pages:
        answer = sam.get(url)
        assert answer.status_code == 200, (url, answer.text[:300])
        # sam's own reads of the trail (`audit.show`) name what he asked for: not BNN's data
        text = re.sub(r"<tr>(?:(?!</tr>).)*<td>audit\.show</td>.*?</tr>", "", answer.text)
        assert not _leaks(text), (url, _leaks(text))
        assert bnn["case"] not in text and bnn["alert"] not in text, url
    for url in (f"/ui/cases/{bnn['case']}", f"/ui/cases/{bnn['case']}/network",
                f"/ui/alerts/{bnn['alert']}", "/ui/accounts/ACC-N-MULE",
                "/ui/entities/bnn-teror-1", "/ui/lists/bnn-teror"):  # fmt: skip
        answer = sam.get(url)
        assert answer.status_code == 404, (url, answer.status_code)
        asked = url.split("/")[3]
        assert not _leaks(answer.text.replace(asked, "")), url


def test_bnns_supervisor_sees_the_trails_state_only_for_bnn(world: World) -> None:
    _bnn_world(world)
    bea = _browser(world, "bea")
    audit = bea.get("/ui/audit")
    assert audit.status_code == 200, audit.text[:300]
    assert "Entries checked" not in audit.text and "<dt>head</dt>" not in audit.text
    for name in ("ana", "sam", "dttot"):
        assert f">{name}<" not in audit.text
    alerts = bea.get("/ui/alerts").text
    assert "ACC-MULE" not in alerts and "ACC-N-MULE" in alerts
