"""Cases over the API: opened on visible evidence, marked the strictest of it, four eyes
enforced by the server, invisible to another agency."""

from __future__ import annotations

from api_world import World, open_on_alert


def _open(world: World, who: str = "ana") -> str:
    answer, _ = open_on_alert(
        world, who, {"title": "drug money to a listed man", "typology": "drug-terror"},
        [{"kind": "subject", "ref": "dttot-rusdan"}],
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert case["marking"] == {"agency": "DEFAULT", "classification": "RESTRICTED", "caveats": []}
    return str(case["case_id"])


def test_four_eyes_are_enforced_by_the_server(world: World) -> None:
    case_id = _open(world)
    url = f"/v1/cases/{case_id}"
    assert world.post("ana", f"{url}/assign", json={"assignee": "sam"}).status_code == 200
    assert world.post("ana", f"{url}/assign", json={"assignee": "bob"}).status_code == 400
    assert world.post("sam", f"{url}/comment", json={"text": "looks real"}).status_code == 200
    proposed = world.post("sam", f"{url}/propose", json={
        "decision": "report", "reason": "listed beneficiary", "report_type": "LTKMT"})  # fmt: skip
    assert proposed.status_code == 200, proposed.text
    own = world.post("sam", f"{url}/approve", json={})
    assert own.status_code in (403, 409), own.text  # the proposer cannot approve
    assert own.headers["content-type"].startswith("application/problem+json")
    assert world.post("ana", f"{url}/approve", json={}).status_code == 403  # not a supervisor
    assert world.post("bea", f"{url}/approve", json={}).status_code == 404  # another agency
    approved = world.post("sue", f"{url}/approve", json={})
    assert approved.status_code == 200, approved.text
    case = world.get("ana", url).json()
    assert case["decision"]["approved_by"] == "sue" and case["status"] != "open"
    actions = [t["action"] for t in case["timeline"]]
    assert actions[0] == "open" and "approve" in actions


def test_another_agency_cannot_reach_a_case(world: World) -> None:
    case_id = _open(world)
    assert world.get("bob", f"/v1/cases/{case_id}").status_code == 404
    assert case_id not in world.get("bob", "/v1/cases").text
    assert world.post("bob", f"/v1/cases/{case_id}/comment", json={"text": "hi"}).status_code == 404
    # nor open one on the default agency's evidence
    alert = world.get("ana", "/v1/alerts").json()["alerts"][0]["alert_id"]
    refused = world.post("bob", "/v1/cases", json={
        "title": "t", "evidence": [{"kind": "alert", "ref": alert}]})  # fmt: skip
    assert refused.status_code == 404 and refused.json()["detail"] == f"no alert {alert}"


def test_a_user_below_the_classification_does_not_see_the_case(world: World) -> None:
    case_id = _open(world)
    assert world.get("uno", f"/v1/cases/{case_id}").status_code == 404  # cleared UNCLASSIFIED
    assert world.get("uno", "/v1/lists").json() == []


def test_a_second_case_on_a_worked_alert_is_a_conflict_naming_the_first(world: World) -> None:
    opened, alert = open_on_alert(world, "ana", {"title": "first look"})
    assert opened.status_code == 201, opened.text
    first = opened.json()["case_id"]
    evidence = [{"kind": "alert", "ref": alert["alert_id"]}]
    again = world.post("sam", "/v1/cases", json={"title": "second look", "evidence": evidence})
    assert again.status_code == 409, again.text
    assert first in again.json()["detail"]
    listed = [c for c in world.get("ana", "/v1/cases").json() if c["title"] == "second look"]
    assert listed == []
