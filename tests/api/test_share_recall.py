"""Taking back a shared payments load lists and marks what the other agency made of it.

BNN saw the default agency's load while it was shared: its monitoring runs read the payments
and its analysts opened cases on them. Revoking the share hides the payments from then on, but
the runs and the cases (their evidence snapshots hold the payments) stay: the revocation now
names them in its answer and its audit entry, writes a `share-revoked` event on each case's
timeline and a `run.share-revoked` audit entry on each run. Nothing of the analysts' work is
deleted.
"""

from __future__ import annotations

from typing import Any

from api_world import World

HEADER = b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"


def _job(world: World, who: str, answer: Any) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    assert found["status"] == "done", found
    return found


def _run(world: World, who: str) -> str:
    return str(
        _job(world, who, world.post(who, "/v1/monitoring/runs", json={}))["result"]["run_id"]
    )


def _case(world: World, who: str, kind: str, ref: str) -> str:
    answer = world.post(who, "/v1/cases", json={
        "title": f"on {ref}", "evidence": [{"kind": kind, "ref": ref}]})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


def test_revoking_a_load_share_lists_and_marks_the_runs_and_cases_made_of_it(
    world: World,
) -> None:
    rows = b"R-1,2025-08-01T10:00:00Z,ACC-R-1,Siti,ACC-R-2,Joko,500,IDR\n"
    files = {"file": ("pay.csv", HEADER + rows)}
    loaded = _job(world, "ana", world.post("ana", "/v1/payments", files=files,
                                           data={"format": "csv"}))  # fmt: skip
    load = str(loaded["result"]["load_id"])
    before = _run(world, "bob")  # BNN's run before the share read none of it
    share = {"kind": "load", "ref": load, "agency": "BNN"}
    assert world.post("ana", "/v1/shares", json=share).status_code == 200
    during = _run(world, "bob")
    on_payment = _case(world, "bob", "payment", "R-1")
    on_account = _case(world, "bob", "account", "ACC-R-2")

    revoked = world.post("ana", "/v1/shares/revoke", json=share)
    assert revoked.status_code == 200, revoked.text
    derived = revoked.json()["derived"]
    assert during in derived["runs"] and before not in derived["runs"]
    assert set(derived["cases"]) == {on_payment, on_account}

    # the cases stay BNN's, whole, with the revocation on their timeline
    shown = world.get("bob", f"/v1/cases/{on_payment}")
    assert shown.status_code == 200, shown.text
    events = [e for e in shown.json()["timeline"] if e["action"] == "share-revoked"]
    assert len(events) == 1 and "R-1" in str(events[0])
    assert "R-1" in shown.text  # the evidence snapshot is kept: nothing deleted silently
    trail = world.get("sam", "/v1/audit", params={"object": during}).json()["entries"]
    assert "run.share-revoked" in {e["action"] for e in trail}
    unshare = [
        e
        for e in world.get("sam", "/v1/audit", params={"object": f"load:{load}"}).json()["entries"]
        if e["action"] == "marking.unshare"
    ]
    assert set(unshare[-1]["details"]["derived"]["cases"]) == {on_payment, on_account}
    # marked through the cases' own trail: `audit verify` finds nothing changed outside jalur
    verified = world.get("sam", "/v1/audit/verify")
    assert verified.status_code == 200, verified.text
    problems = verified.json()["problems"]
    assert not [p for p in problems if on_payment in p or on_account in p], problems
