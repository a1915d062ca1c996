"""Cases over the API, the defects of round 6: who a case may be assigned to, reads of a case
in the trail, a report made by a POST only, and what one agency's user learns of another's."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World, open_on_alert


def _open(world: World, who: str = "ana") -> str:
    body = {"title": "drug money to a listed man", "typology": "drug-terror"}
    answer, _ = open_on_alert(world, who, body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


def test_a_case_is_not_assigned_to_whoever_may_not_work_it(world: World) -> None:
    case_id = _open(world)
    url = f"/v1/cases/{case_id}/assign"
    refused = world.post("ana", url, json={"assignee": "admin"})
    assert refused.status_code == 400, refused.text
    assert "admin is admin: the role may not work cases" in refused.json()["detail"]
    assert world.post("ana", url, json={"assignee": "bea"}).status_code == 400  # BNN's
    assert world.get("ana", f"/v1/cases/{case_id}").json()["assignee"] is None
    assert world.post("ana", url, json={"assignee": "sam"}).status_code == 200


def _reads(world: World, case_id: str) -> list[tuple[str, dict[str, object]]]:
    found = world.get("sam", "/v1/audit", params={"object": case_id}).json()["entries"]
    return [(e["user"], e["details"]) for e in found if e["action"] == "case.show"]


def test_reading_a_case_over_the_api_is_in_the_trail(world: World) -> None:
    case_id = _open(world)
    assert _reads(world, case_id) == []
    assert world.get("ana", f"/v1/cases/{case_id}").status_code == 200
    assert _reads(world, case_id) == [("ana", {"via": "api"})]
    assert world.get("bob", f"/v1/cases/{case_id}").status_code == 404  # no read: nothing shown
    assert len(_reads(world, case_id)) == 1


def _approved(world: World) -> str:
    opened, _ = open_on_alert(world, "ana", {"title": "report probe"}, typology="terror_exposure")
    case = opened.json()["case_id"]
    proposed = world.post("ana", f"/v1/cases/{case}/propose", json={
        "decision": "report", "reason": "listed beneficiary", "report_type": "LTKMT",
    })  # fmt: skip
    assert proposed.status_code == 200, proposed.text
    assert world.post("sam", f"/v1/cases/{case}/approve", json={}).status_code == 200
    return str(case)


def _trail(world: World, case_id: str) -> list[str]:
    found = world.get("sam", "/v1/audit", params={"object": case_id}).json()["entries"]
    return [e["action"] for e in found if e["action"] not in ("case.show", "audit.show")]


def test_a_report_is_made_by_a_post_and_a_get_changes_nothing(world: World) -> None:
    case_id = _approved(world)
    url = f"/v1/cases/{case_id}/report"
    before = _trail(world, case_id)
    fetched = world.get("ana", url)
    assert fetched.status_code == 405, fetched.text
    assert fetched.headers["allow"] == "POST"
    assert f"a report is made by POST {url}" in fetched.json()["detail"]
    assert world.get("ana", f"/v1/cases/{case_id}").json()["decision"]["report_sha256"] is None
    assert _trail(world, case_id) == before
    made = world.post("ana", url, json={"consent": None, "rate": []})
    assert made.status_code == 200, made.text
    assert made.headers["content-type"].startswith("application/xml")
    assert world.get("ana", f"/v1/cases/{case_id}").json()["decision"]["report_sha256"]
    assert _trail(world, case_id)[0] == "report-generated"  # newest first


def test_another_agency_learns_nothing_of_the_trails_volume(world: World) -> None:
    whole = world.get("sam", "/v1/audit/verify").json()  # the default agency's installation
    assert whole["intact"] and whole["entries"] > 0 and whole["head"]
    told = world.get("bea", "/v1/audit/verify")
    assert told.status_code == 200, told.text
    assert told.json() == {"chain": "workspace-audit", "scope": "agency", "intact": True,
                           "problems": []}  # fmt: skip
    assert world.post("bea", "/v1/cases/CASE-NOPE/comment", json={"text": "x"}).status_code == 404
    own = world.get("bea", "/v1/audit").json()
    assert own["total"] > 0
    assert all(e["seq"] is None and e["hash"] is None and e["prev_hash"] is None
               for e in own["entries"])  # fmt: skip
    assert all(e["seq"] for e in world.get("sam", "/v1/audit").json()["entries"])


def test_a_case_changed_outside_jalur_is_named_to_its_own_agency_only(world: World) -> None:
    from sqlalchemy import update

    from jalur.sqlstore import open_database
    from jalur.sqlstore.schema import cases

    case_id = _open(world)
    engine = open_database(world.settings)
    try:
        with engine.begin() as con:
            con.execute(update(cases).where(cases.c.id == case_id).values(assignee="sue"))
        whole = world.get("sam", "/v1/audit/verify").json()
        theirs = world.get("bea", "/v1/audit/verify").json()
    finally:
        with engine.begin() as con:
            con.execute(update(cases).where(cases.c.id == case_id).values(assignee=None))
        engine.dispose()
    assert not whole["intact"]
    assert any(f"case {case_id}: assignee is 'sue'" in p and "(audit entry " in p
               for p in whole["problems"])  # fmt: skip
    assert not theirs["intact"]
    assert case_id not in str(theirs) and "entry" not in str(theirs)
    assert world.get("sam", "/v1/audit/verify").json()["intact"]


def test_a_recorded_read_keeps_what_the_service_keeps(world: World) -> None:
    case_id = _open(world)
    service = world.client.app.state.service  # type: ignore[attr-defined]
    changes = service.markings._changes
    world.get("ana", f"/v1/cases/{case_id}")  # kept from here on
    before = changes.generation
    assert world.get("ana", f"/v1/cases/{case_id}").status_code == 200
    assert changes.generation == before  # the read's audit entry discarded nothing kept
    assert [u for u, _ in _reads(world, case_id)] == ["ana", "ana"]
    assert world.post("ana", f"/v1/cases/{case_id}/comment", json={"text": "x"}).status_code == 200
    assert changes.generation > before  # a change still does


def test_a_page_of_the_trail_costs_that_page_not_the_whole_trail(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agency reading its trail a page at a time: each page used to read (and decode)
    every entry of the installation, millions on a busy one, for every page asked for."""
    import jalur.audit.trail as trail_module

    whole = world.get("bea", "/v1/audit", params={"limit": 1000}).json()
    assert whole["total"] == len(whole["entries"]) >= 2
    decoded: list[str] = []
    real = trail_module._details

    def counted(text: str) -> Any:
        decoded.append(text)
        return real(text)

    monkeypatch.setattr(trail_module, "_details", counted)
    page = world.get("bea", "/v1/audit", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == whole["total"] + 1  # the first read is on the trail now, newest
    assert page["entries"] == whole["entries"][:2]
    assert len(decoded) == 2


def test_verify_checks_from_the_newest_seal_unless_asked_for_full(world: World) -> None:
    """`/v1/audit/verify` hashed the whole trail at every call; it now hashes what came after
    the newest good seal, says so in `checked`, and every entry with `full=true`."""
    from case_story import ok
    from jalur.exchange import ExchangeError, create_identity, load_identity

    try:
        load_identity(world.settings.home)
    except ExchangeError:  # the world has no agency identity until a test makes one
        create_identity(world.settings.home, "PPATK", "ID", "agency passphrase")
    ok(world.settings, "audit", "seal")
    sealed = world.get("sam", "/v1/audit/verify")
    assert sealed.status_code == 200, sealed.text
    body = sealed.json()
    assert body["intact"], body["problems"]
    seal = body["newest_seal"]["seq"]
    assert body["checked"]["full"] is False
    assert body["checked"]["vouched_by_seal"] == [1, seal]
    whole = world.get("sam", "/v1/audit/verify", params={"full": "true"}).json()
    assert whole["intact"] and whole["checked"] == {
        "full": True, "recomputed": [1, whole["entries"]], "vouched_by_seal": None,
    }  # fmt: skip
    theirs = world.get("bea", "/v1/audit/verify", params={"full": "true"}).json()
    assert theirs == {"chain": "workspace-audit", "scope": "agency", "intact": True,
                      "problems": []}  # fmt: skip
