"""Payments by upload, the traced channels and their graph, a case's goAML report: each through
the access layer, with the markings and refusals of the rest of the API."""

from __future__ import annotations

import json
from typing import Any

from api_world import World, open_on_alert
from lxml import etree

HEADER = b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"


def _load(world: World, who: str, content: bytes, fmt: str = "csv") -> Any:
    return world.post(
        who, "/v1/payments", files={"file": ("pay.csv", content)}, data={"format": fmt}
    )


def _job(world: World, who: str, answer: Any) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    return {**found, "job_id": answer.json()["job_id"]}


def test_payments_upload_is_a_load_job_with_counts(world: World) -> None:
    good = b"P2-1,2025-04-01T10:00:00Z,ACC-Q1,Q One,ACC-Q2,Q Two,150,IDR\n"
    bad = b"P2-2,not a time,ACC-Q1,Q One,ACC-Q2,Q Two,abc,IDR\n"
    job = _job(world, "ana", _load(world, "ana", HEADER + good + bad))
    assert job["status"] == "done", job
    result = job["result"]
    assert (result["read"], result["accepted"], result["rejected"]) == (2, 1, 1), result
    again = _job(world, "ana", _load(world, "ana", HEADER + good))
    assert again["result"]["duplicates"] == 1 and again["result"]["accepted"] == 0
    assert world.get("bob", f"/v1/jobs/{job['job_id']}").status_code == 404  # another agency


def test_payments_refused_for_the_wrong_role_and_bad_uploads(world: World) -> None:
    row = HEADER + b"P3-1,2025-04-01T10:00:00Z,ACC-Z1,Z,ACC-Z2,Z,1,IDR\n"
    assert _load(world, "admin", row).status_code == 403
    assert _load(world, "client", row).status_code == 403
    big = _load(world, "ana", HEADER + b"x" * (70 * 1024))
    assert big.status_code == 413
    assert _load(world, "ana", row, fmt="nonsense").status_code == 422
    assert _load(world, "ana", row, fmt="csv'; DROP TABLE transactions; --").status_code == 422
    assert world.post("ana", "/v1/payments", data={"format": "csv"}).status_code == 422
    nofmt = world.post("ana", "/v1/payments", files={"file": ("p.csv", row)})
    assert nofmt.status_code == 422
    garbage = _job(world, "ana", _load(world, "ana", b"\x00\xff\xfe not a csv at all"))
    assert garbage["status"] == "failed" and garbage["error"], garbage
    account = world.get("ana", "/v1/alerts", params={"account": "ACC-Z1"}).json()
    assert account["total"] == 0  # nothing of the refused uploads arrived


def test_channels_and_a_channel_graph(world: World) -> None:
    found = world.get("ana", "/v1/channels").json()
    assert found["total"] >= 1 and found["channels"]
    first = found["channels"][0]
    graph = world.get("ana", f"/v1/channels/{first['channel_id']}/graph")
    assert graph.status_code == 200, graph.text
    body = graph.json()
    nodes = {n["id"] for n in body["graph"]["nodes"]}
    assert first["source"] in nodes and first["sink"] in nodes
    assert body["graph"]["channels"][0]["channel_id"] == first["channel_id"]
    groups = {e["group"] for e in body["elements"]}
    assert groups == {"nodes", "edges"}
    assert world.get("bob", "/v1/channels").json() == {"total": 0, "channels": []}
    hidden = world.get("bob", f"/v1/channels/{first['channel_id']}/graph")
    missing = world.get("bob", "/v1/channels/CH-NOPE/graph")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(first["channel_id"], "X") == missing.json()[
        "detail"
    ].replace("CH-NOPE", "X")


def _approved_case(world: World) -> str:
    opened, _ = open_on_alert(world, "ana", {"title": "report probe"}, typology="terror_exposure")
    case = opened.json()["case_id"]
    proposed = world.post("ana", f"/v1/cases/{case}/propose", json={
        "decision": "report", "reason": "listed beneficiary", "report_type": "LTKMT",
    })  # fmt: skip
    assert proposed.status_code == 200, proposed.text
    approved = world.post("sam", f"/v1/cases/{case}/approve", json={})
    assert approved.status_code == 200, approved.text
    return str(case)


def test_a_case_report_is_generated_and_downloaded(world: World) -> None:
    case = _approved_case(world)
    answer = world.post("ana", f"/v1/cases/{case}/report")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    assert case in answer.headers["content-disposition"]
    root = etree.fromstring(answer.content)
    assert root.tag == "report" and root.findtext("rentity_id") == "4711"
    shown = world.get("ana", f"/v1/cases/{case}").json()
    assert shown["decision"]["report_sha256"]
    # the timeline says where the report went: over the API, not "web download" as it read
    [made] = [e for e in shown["timeline"] if e["action"] == "report-generated"]
    assert made["details"]["file"] == "api download"
    hidden = world.post("bob", f"/v1/cases/{case}/report")
    missing = world.post("bob", "/v1/cases/CASE-NOPE/report")
    assert hidden.status_code == missing.status_code == 404
    assert world.post("admin", f"/v1/cases/{case}/report").status_code == 403
    assert world.post("client", f"/v1/cases/{case}/report").status_code == 403


def test_a_report_says_the_action_the_bank_took(world: World) -> None:
    """`action` as `jalur report goaml --action` takes it (the API had no way to give it: every
    report said the four-eyes decision); longer than goAML's 4,000 characters is a 422."""
    case = _approved_case(world)
    said = "Account frozen; customer relationship ended"
    answer = world.post("ana", f"/v1/cases/{case}/report", json={"action": said})
    assert answer.status_code == 200, answer.text
    assert etree.fromstring(answer.content).findtext("action") == said
    too_long = world.post("ana", f"/v1/cases/{case}/report", json={"action": "x" * 4001})
    assert too_long.status_code == 422


def test_a_caveated_case_is_not_reported_without_consent(world: World) -> None:
    props = {"name": ["Egmont Partner Subject"], "topics": ["crime.terror"]}
    row = {"id": "egm-1", "schema": "Person", "properties": props}
    files = {"file": ("egm.ftm.json", json.dumps(row).encode() + b"\n")}
    form = {"format": "ftm", "name": "egmont-in", "caveats": "EGMONT"}
    loaded = world.post("eve", "/v1/lists", files=files, data=form)
    assert _job(world, "eve", loaded)["status"] == "done"
    case = world.post("eve", "/v1/cases", json={
        "title": "partner subject", "evidence": [{"kind": "subject", "ref": "egm-1"}],
    })  # fmt: skip
    assert case.status_code == 201, case.text
    case_id = case.json()["case_id"]
    assert case.json()["marking"]["caveats"] == ["EGMONT"]
    refused = world.post("eve", f"/v1/cases/{case_id}/report")
    assert refused.status_code == 403 and "EGMONT" in refused.json()["detail"]
    assert world.post("ana", f"/v1/cases/{case_id}/report").status_code == 404  # no EGMONT
    timeline = world.get("eve", f"/v1/cases/{case_id}").json()["timeline"]
    assert not any("report" in json.dumps(t) for t in timeline[1:]), timeline
    consented = world.post("eve", f"/v1/cases/{case_id}/report", json={"consent": "FIU-X ok"})
    assert consented.status_code != 403  # past the caveat; refused later: not approved


def test_malformed_bodies_are_422_problems_and_change_nothing(world: World) -> None:
    case = open_on_alert(world, "ana", {"title": "malformed probe"})[0].json()["case_id"]
    cases_before = len(world.get("ana", "/v1/cases").json())
    routes = [
        ("ana", "/match/default"),
        ("ana", "/v1/screening/name"),
        ("ana", "/v1/cases"),
        ("ana", f"/v1/cases/{case}/comment"),
        ("ana", "/v1/shares"),
        ("ana", "/v1/monitoring/runs"),
        ("admin", "/v1/apikeys"),
    ]
    for body in (b'{"unterminated', b"[1, 2, 3]", b'{"queries": 7, "title": [], "kind": {}}'):
        for who, url in routes:
            answer = world.client.post(
                url, content=body,
                headers={**world.auth(who), "content-type": "application/json"},
            )  # fmt: skip
            if url.endswith("/runs") and body.startswith(b'{"q'):
                assert answer.status_code in (202, 422), (url, answer.text)  # extra keys ignored
                continue
            assert answer.status_code == 422, (url, body, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json"), url
    assert len(world.get("ana", "/v1/cases").json()) == cases_before


def test_a_foreign_currency_case_is_reported_with_its_rates(world: World) -> None:
    """The route had no way to give an exchange rate: a case with a payment in US dollars was
    refused for good ('no exchange rate to IDR given'). Refusals are audited, as on the
    command line (`report-refused`)."""
    row = b"FX-1,2025-04-02T10:00:00Z,ACC-FX1,BRINIDJA,Fx One,ID,ACC-FX2,BOPIPHMM,Fx Two,PH,"
    row += b"150.5,USD\n"
    header = b"tx_id,timestamp,orig_account,orig_bank,orig_name,orig_country,bene_account,"
    header += b"bene_bank,bene_name,bene_country,amount,currency\n"
    assert _job(world, "ana", _load(world, "ana", header + row))["status"] == "done"
    case = world.post("ana", "/v1/cases", json={
        "title": "dollars", "evidence": [{"kind": "payment", "ref": "FX-1"}],
    }).json()["case_id"]  # fmt: skip
    assert world.post("ana", f"/v1/cases/{case}/propose", json={
        "decision": "report", "reason": "dollars abroad", "report_type": "LTKMT",
    }).status_code == 200  # fmt: skip
    assert world.post("sam", f"/v1/cases/{case}/approve", json={}).status_code == 200
    refused = world.post("ana", f"/v1/cases/{case}/report")
    assert refused.status_code == 400 and "no exchange rate to IDR" in refused.json()["detail"]
    bad = world.post("ana", f"/v1/cases/{case}/report", json={"rate": ["USD=lots"]})
    assert bad.status_code == 400 and "USD=lots" in bad.json()["detail"]
    answer = world.post("ana", f"/v1/cases/{case}/report", json={"rate": ["USD=16250"]})
    assert answer.status_code == 200, answer.text
    root = etree.fromstring(answer.content)
    assert root.findtext("transaction/amount_local") == "2445625.00"
    trail = world.get("sam", "/v1/audit", params={"object": case}).json()["entries"]
    assert [e["action"] for e in trail].count("report-refused") == 2
