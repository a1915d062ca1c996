"""Payments carry markings: each agency loads and monitors its own, and sees no other's.

A load is marked with the loading user's agency (classification and caveats as asked); its
payments are seen through that marking, a monitoring run covers only the payments its user sees
and is marked at least as strictly, and every place payments show (an alert's payments, case
evidence, counts) leaves the unseen ones out as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from api_world import World

HEADER = b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
#: BNN's own payments: money stacked through ACC-B-MULE (the `stack` typology needs no seeds),
#: and a payment under an id the default agency's payments already hold (T3).
BNN_PAYMENTS = HEADER + (
    b"B-1,2025-05-01T10:00:00Z,ACC-B-SRC,Bandar Satu,ACC-B-MULE,Kurir Dua,90000000,IDR\n"
    b"B-2,2025-05-02T10:00:00Z,ACC-B-MULE,Kurir Dua,ACC-B-DST,Penerima Tiga,85000000,IDR\n"
    b"T3,2025-05-03T10:00:00Z,ACC-B-DST,Penerima Tiga,ACC-B-SRC,Bandar Satu,1000,IDR\n"
)


def _job(world: World, who: str, answer: Any) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    assert found["status"] == "done", found
    return dict(found["result"])


def _load(world: World, who: str, content: bytes, **form: str) -> dict[str, Any]:
    files = {"file": ("pay.csv", content)}
    answer = world.post(who, "/v1/payments", files=files, data={"format": "csv", **form})
    return _job(world, who, answer)


def _run(world: World, who: str) -> dict[str, Any]:
    return _job(world, who, world.post(who, "/v1/monitoring/runs", json={}))


def _alerts(world: World, who: str, **params: Any) -> dict[str, Any]:
    found: dict[str, Any] = world.get(who, "/v1/alerts", params=params).json()
    return found


def _same_as_missing(world: World, who: str, url: str, hidden: str) -> None:
    seen = world.get(who, url.format(hidden))
    missing = world.get(who, url.format("NOPE-1"))
    assert seen.status_code == missing.status_code == 404, seen.text
    assert seen.json()["detail"].replace(hidden, "X") == missing.json()["detail"].replace(
        "NOPE-1", "X"
    )


def test_another_agency_loads_and_monitors_its_own_payments(world: World) -> None:
    before = _alerts(world, "ana")
    loaded = _load(world, "bob", BNN_PAYMENTS)
    # T3 is the default agency's id too: BNN's T3 is its own record, neither skipped nor told.
    assert (loaded["read"], loaded["accepted"], loaded["duplicates"]) == (3, 3, 0), loaded
    run = _run(world, "bob")
    assert run["payments"] == 3 and run["marking"]["agency"] == "BNN", run
    mine = _alerts(world, "bob")
    assert mine["total"] >= 1 and {a["run_id"] for a in mine["alerts"]} == {run["run_id"]}
    assert "ACC-B-MULE" in {a["account"] for a in mine["alerts"]}
    assert not {"ACC-MULE", "ACC-DRUG", "ACC-CELL"} & {a["account"] for a in mine["alerts"]}
    assert _alerts(world, "bea")["total"] == mine["total"]  # the agency's, not the user's
    alert = world.get("bob", f"/v1/alerts/{mine['alerts'][0]['alert_id']}").json()
    assert alert["payments"] and {p["tx_id"] for p in alert["payments"]} <= {"B-1", "B-2", "T3"}
    assert {p["orig_account"] for p in alert["payments"]} <= {
        "ACC-B-SRC",
        "ACC-B-MULE",
        "ACC-B-DST",
    }
    # The default agency: the same alerts as before, no count or filter tells of BNN's.
    after = _alerts(world, "ana")
    assert after["total"] == before["total"] and after["alerts"] == before["alerts"]
    assert _alerts(world, "ana", account="ACC-B-MULE")["total"] == 0
    assert _alerts(world, "ana", run_id=run["run_id"])["total"] == 0
    _same_as_missing(world, "ana", "/v1/alerts/{}", mine["alerts"][0]["alert_id"])
    _same_as_missing(world, "bob", "/v1/alerts/{}", before["alerts"][0]["alert_id"])


def test_a_run_covers_only_its_agencys_payments(world: World) -> None:
    _load(world, "bob", HEADER + b"B-9,2025-05-09T10:00:00Z,ACC-B-X,X,ACC-B-Y,Y,5,IDR\n")
    ours = _run(world, "ana")
    theirs = _run(world, "bob")
    # Each run over its own agency's payments: the story's four, BNN's four (T3 twice over).
    assert (ours["payments"], theirs["payments"]) == (4, 4), (ours, theirs)
    assert ours["marking"]["agency"] == "DEFAULT" and theirs["marking"]["agency"] == "BNN"
    found = world.get("ana", "/v1/alerts", params={"run_id": ours["run_id"]}).json()
    accounts = {a["account"] for a in found["alerts"]}
    assert found["total"] >= 1 and not any(a.startswith("ACC-B-") for a in accounts), accounts
    for alert in found["alerts"]:
        detail = world.get("ana", f"/v1/alerts/{alert['alert_id']}").json()
        assert not {"B-1", "B-2", "B-9"} & set(detail["tx_ids"])
        t3 = [p for p in detail["payments"] if p["tx_id"] == "T3"]
        assert all(p["orig_account"] == "ACC-SHOP" for p in t3)  # the default agency's T3


def test_an_alert_shows_only_the_payments_its_reader_sees(world: World) -> None:
    alert = _alerts(world, "ana", account="ACC-MULE", typology="stack")["alerts"][0]
    shared = world.post(
        "ana", "/v1/shares", json={"kind": "run", "ref": alert["run_id"], "agency": "BNN"}
    )
    assert shared.status_code == 200, shared.text
    as_ana = world.get("ana", f"/v1/alerts/{alert['alert_id']}").json()
    as_bob = world.get("bob", f"/v1/alerts/{alert['alert_id']}").json()
    assert as_ana["payments"] and as_ana["tx_ids"]
    # BNN sees the shared run's alert, not the default agency's payments behind it.
    assert as_bob["alert"] == as_ana["alert"]
    assert as_bob["payments"] == [] and as_bob["tx_ids"] == []


def test_case_evidence_is_a_payment_or_account_the_user_sees(world: World) -> None:
    _load(world, "bob", BNN_PAYMENTS)  # already in: every row a duplicate of BNN's own
    case = world.post("bob", "/v1/cases", json={
        "title": "BNN courier", "evidence": [{"kind": "payment", "ref": "B-1"},
                                             {"kind": "account", "ref": "ACC-B-MULE"}],
    })  # fmt: skip
    assert case.status_code == 201, case.text
    assert case.json()["marking"]["agency"] == "BNN"
    snapshots = [e["snapshot"] for e in case.json()["evidence"] if e["kind"] == "payment"]
    assert snapshots[0]["orig_account"] == "ACC-B-SRC"
    for who, kind, hidden in (
        ("bob", "payment", "T1"),
        ("bob", "account", "ACC-DRUG"),
        ("ana", "payment", "B-1"),
        ("ana", "account", "ACC-B-MULE"),
    ):
        asked = world.post(who, "/v1/cases", json={
            "title": "probe", "evidence": [{"kind": kind, "ref": hidden}]})  # fmt: skip
        missing = world.post(who, "/v1/cases", json={
            "title": "probe", "evidence": [{"kind": kind, "ref": "NOPE-1"}]})  # fmt: skip
        assert asked.status_code == missing.status_code == 404, (who, kind, asked.text)
        assert asked.json()["detail"].replace(hidden, "X") == missing.json()["detail"].replace(
            "NOPE-1", "X"
        )


def test_a_caveated_load_is_hidden_from_users_without_the_caveat(world: World) -> None:
    row = b"E-1,2025-06-01T10:00:00Z,ACC-E1,Partner One,ACC-E2,Partner Two,777,IDR\n"
    assert _load(world, "eve", HEADER + row, caveats="EGMONT")["accepted"] == 1
    # ana (no EGMONT) loads the same id: hers is accepted, nothing tells her of eve's.
    assert _load(world, "ana", HEADER + row)["accepted"] == 1
    refused = world.post(
        "ana", "/v1/payments", files={"file": ("p.csv", HEADER + row)},
        data={"format": "csv", "caveats": "EGMONT"},
    )  # fmt: skip
    assert refused.status_code == 400 and "beyond your own clearance" in refused.text
    run = _run(world, "eve")
    assert run["marking"]["caveats"] == ["EGMONT"], run  # at least as strict as its payments
    assert _alerts(world, "ana", run_id=run["run_id"])["total"] == 0
    assert _alerts(world, "eve", run_id=run["run_id"])["total"] == run["alerts"]
