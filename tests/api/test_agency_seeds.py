"""Another agency's monitoring seeds from the lists it may see, and from no other.

BNN, the drug agency, monitors its own payments: its drug list marks the narcotics accounts,
and a terror list another agency shares with it marks the terror-listed ones, so a run finds
the drug-to-terror exposure and the listed counterparties. A list BNN cannot see (the default
agency's `dttot`, a list loaded later and not shared) seeds nothing: no alert, count or list
name of a run tells of it. The run is marked at least as strictly as the lists it used.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from api_world import World

from jalur.users import Marking, mark

HEADER = b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
#: BNN's payments: a drug-listed account pays a courier, who pays a terror-listed account
#: (listed on the shared UN list) and Abu Rusdan (on the default agency's `dttot` only).
BNN_PAYMENTS = HEADER + (
    b"N-1,2025-07-01T10:00:00Z,ACC-N-DRUG,Freddy Budiman,ACC-N-MULE,Kurir Satu,90000000,IDR\n"
    b"N-2,2025-07-02T10:00:00Z,ACC-N-MULE,Kurir Satu,ACC-N-CELL,Hambali Isamuddin,45000000,IDR\n"
    b"N-3,2025-07-03T10:00:00Z,ACC-N-MULE,Kurir Satu,ACC-N-RUSDAN,Abu Rusdan,40000000,IDR\n"
)
#: Lists BNN may not see: their names never show in its runs.
HIDDEN_LISTS = ("dttot", "hidden-watch")


def _job(world: World, who: str, answer: Any) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    assert found["status"] == "done", found
    return found


def _list(world: World, who: str, name: str, person: str, topic: str, **form: Any) -> None:
    row = {"id": f"{name}-1", "schema": "Person",
           "properties": {"name": [person], "topics": [topic]}}  # fmt: skip
    files = {"file": (f"{name}.ftm.json", json.dumps(row).encode() + b"\n")}
    data = {"format": "ftm", "name": name, **form}
    _job(world, who, world.post(who, "/v1/lists", files=files, data=data))


def _run(world: World, who: str) -> dict[str, Any]:
    return _job(world, who, world.post(who, "/v1/monitoring/runs", json={}))


def _alerts(world: World, who: str, run_id: str) -> list[dict[str, Any]]:
    found = world.get(who, "/v1/alerts", params={"run_id": run_id, "limit": 1000}).json()
    alerts: list[dict[str, Any]] = found["alerts"]
    assert found["total"] == len(alerts)
    return alerts


def _content(world: World, who: str, run_id: str) -> Counter[str]:
    """A run's alerts as their reader sees them (read before a later run takes them over)."""
    return Counter(json.dumps(a, sort_keys=True) for a in _alerts(world, who, run_id))


def _listed(world: World, who: str, run_id: str) -> set[tuple[str, str, str]]:
    """(typology, listed or seed account, list) of a run's alerts that stand on seeds, and
    every list name any of its alerts shows."""
    found = set()
    for alert in _alerts(world, who, run_id):
        detail = world.get(who, f"/v1/alerts/{alert['alert_id']}").json()
        facts = json.loads(detail["alert"]["facts"])
        text = json.dumps(detail)
        shown = ",".join(n for n in (*HIDDEN_LISTS, "un-sc", "bnn-narkoba") if n in text)
        for seed in [facts["listed"]] if "listed" in facts else facts.get("seeds", []):
            found.add((alert["typology"], seed, shown))
    return found


def test_a_shared_list_seeds_another_agencys_run_and_a_hidden_one_never(world: World) -> None:
    _list(world, "bob", "bnn-narkoba", "Freddy Budiman", "crime.traffick.drug")
    _list(world, "eve", "un-sc", "Hambali Isamuddin", "crime.terror", caveats=["EGMONT"])
    files = {"file": ("bnn.csv", BNN_PAYMENTS)}
    _job(world, "bob", world.post("bob", "/v1/payments", files=files, data={"format": "csv"}))

    # BNN's drug list alone: drug exposure and its listed counterparty; dttot's Abu Rusdan
    # (the default agency's list, not shared) is no seed.
    alone = _run(world, "bob")["result"]
    assert alone["seed_lists"] == ["bnn-narkoba"], alone
    assert alone["marking"] == {"agency": "BNN", "classification": "RESTRICTED", "caveats": []}
    assert _listed(world, "bob", alone["run_id"]) == {
        ("drug_exposure", "ACC-N-DRUG", ""),
        ("listed_counterparty", "ACC-N-DRUG", "bnn-narkoba"),
    }

    share = {"kind": "list", "ref": "un-sc", "agency": "BNN", "consent": "UN sanctions team"}
    assert world.post("eve", "/v1/shares", json=share).status_code == 200
    job = _run(world, "bob")
    shared = job["result"]
    assert shared["seed_lists"] == ["bnn-narkoba", "un-sc"], shared
    # Markings follow the data: the UN list carries EGMONT, and so does the run it seeded.
    assert shared["marking"] == {
        "agency": "BNN", "classification": "RESTRICTED", "caveats": ["EGMONT"]}  # fmt: skip
    seen = _listed(world, "bob", shared["run_id"])
    assert seen == {
        ("drug_exposure", "ACC-N-DRUG", ""),
        ("listed_counterparty", "ACC-N-DRUG", "bnn-narkoba"),
        ("listed_counterparty", "ACC-N-CELL", "un-sc"),
        ("terror_exposure", "ACC-N-CELL", ""),  # the drug money's way to a terror-listed account
    }, seen
    # bea, of BNN without EGMONT, sees neither the run's alerts nor its job's counts.
    assert world.get("bea", "/v1/alerts", params={"run_id": shared["run_id"]}).json()["total"] == 0
    assert world.get("bea", f"/v1/jobs/{job['id']}").status_code == 404
    before = _content(world, "bob", shared["run_id"])

    # A list BNN cannot see, naming BNN's courier as a terrorist, changes nothing in its runs.
    _list(world, "ana", "hidden-watch", "Kurir Satu", "crime.terror")
    again = _run(world, "bob")["result"]
    timed = ("run_id", "seconds")  # the run's own id, and how long each typology took
    assert {k: v for k, v in again.items() if k not in timed} == {
        k: v for k, v in shared.items() if k not in timed
    }
    after = _content(world, "bob", again["run_id"])
    assert after == Counter(s.replace(shared["run_id"], again["run_id"]) for s in before.elements())


def _payments(world: World, who: str, content: bytes, **form: str) -> dict[str, Any]:
    files = {"file": ("pay.csv", HEADER + content)}
    answer = world.post(who, "/v1/payments", files=files, data={"format": "csv", **form})
    return dict(_job(world, who, answer)["result"])


def _evidence(world: World, who: str, tx_id: str) -> int:
    """Whether `who` sees a payment: a case on it opens (201) or it is not found (404)."""
    answer = world.post(who, "/v1/cases", json={
        "title": "shared payment", "evidence": [{"kind": "payment", "ref": tx_id}]})  # fmt: skip
    status: int = answer.status_code
    return status


def test_a_load_is_shared_and_taken_back(world: World) -> None:
    mine = _payments(world, "ana", b"K-1,2025-08-01T10:00:00Z,ACC-K-1,Siti,ACC-K-2,Joko,500,IDR\n")
    load = str(mine["load_id"])
    assert mine["marking"]["agency"] == "DEFAULT"
    covered = _run(world, "bob")["result"]["payments"]
    assert _evidence(world, "bob", "K-1") == 404

    share = {"kind": "load", "ref": load, "agency": "BNN"}
    # Only the owner shares (BNN sees nothing of it yet: the words of a missing load), and
    # only a load that exists: a share of a load to come would be a share of whatever comes.
    hidden = world.post("bob", "/v1/shares", json=share)
    missing = world.post("bob", "/v1/shares", json={**share, "ref": "999999"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(load, "X") == missing.json()["detail"].replace(
        "999999", "X"
    )
    assert world.post("ana", "/v1/shares", json={**share, "ref": "999999"}).status_code == 404
    for odd in ("1 OR 1=1", "0" + load, "9" * 30, "\u0663"):
        assert world.post("ana", "/v1/shares", json={**share, "ref": odd}).status_code == 404
    assert world.post("ana", "/v1/shares", json=share).status_code == 200

    # BNN's connections now see the payments: case evidence, its monitoring runs.
    assert _evidence(world, "bob", "K-1") == 201
    assert _run(world, "bob")["result"]["payments"] == covered + 1
    onward = world.post("bob", "/v1/shares", json={**share, "agency": "BNPT"})
    assert onward.status_code == 403  # BNN does not own it: no onward sharing

    revoked = world.post("ana", "/v1/shares/revoke", json=share)
    assert revoked.status_code == 200, revoked.text
    assert _evidence(world, "bob", "K-1") == 404
    assert _run(world, "bob")["result"]["payments"] == covered
    assert world.post("ana", "/v1/shares/revoke", json=share).status_code == 404
    assert world.post("bob", "/v1/shares/revoke", json=share).status_code == 404
    trail = world.get("sam", "/v1/audit", params={"object": f"load:{load}"}).json()
    assert {"marking.share", "marking.unshare"} <= {e["action"] for e in trail["entries"]}


def test_a_caveated_load_is_shared_only_with_consent(world: World) -> None:
    row = b"E-7,2025-08-02T10:00:00Z,ACC-E-7,Partner,ACC-E-8,Other,700,IDR\n"
    load = str(_payments(world, "eve", row, caveats="EGMONT")["load_id"])
    share = {"kind": "load", "ref": load, "agency": "BNN"}
    refused = world.post("eve", "/v1/shares", json=share)
    assert refused.status_code == 403 and "consent" in refused.json()["detail"]
    assert _evidence(world, "bob", "E-7") == 404
    given = world.post("eve", "/v1/shares", json={**share, "consent": "FIU letter 9"})
    assert given.status_code == 200
    # Shared, the load keeps its caveat: bob holds EGMONT, bea does not.
    assert _evidence(world, "bob", "E-7") == 201
    assert _evidence(world, "bea", "E-7") == 404


def test_the_default_agencys_own_loads_are_screened_when_it_runs(world: World) -> None:
    """Payments the default agency loads through the service were never screened by the
    command line (it cannot run beside the server): its runs screen them when they run."""
    row = b"P-1,2025-09-01T10:00:00Z,ACC-P-SRC,Dana Amal,ACC-P-CELL,Abu Rusdan,7000000,IDR\n"
    _payments(world, "ana", row)
    run = _run(world, "ana")["result"]
    assert "dttot" in run["seed_lists"], run
    seen = _listed(world, "ana", run["run_id"])
    assert ("listed_counterparty", "ACC-P-CELL", "dttot") in seen, seen
    assert ("listed_counterparty", "ACC-CELL", "dttot") in seen  # the stored hits still seed


def test_the_default_agencys_runs_seed_from_the_lists_their_user_sees(world: World) -> None:
    """The default agency's runs seed from its own findings (flags, `jalur screen parties`),
    their hits kept to the lists the running user sees: a list marked beyond them seeds
    nothing; the user who holds its marking gets a run marked as strictly."""
    service = world.client.app.state.service  # type: ignore[attr-defined]
    with service.engine.begin() as con:  # dttot (loaded by the command line) gets a caveat
        mark(con, "list", "dttot", Marking("DEFAULT", "RESTRICTED", ("EGMONT",)), "admin")
    ana = _run(world, "ana")["result"]
    assert ana["seed_lists"] == [] and ana["marking"]["caveats"] == [], ana
    seen = _listed(world, "ana", ana["run_id"])
    assert ("drug_exposure", "ACC-DRUG", "") in seen  # the agency's own flag still seeds
    assert not [s for s in seen if s[0] in ("listed_counterparty", "terror_exposure")], seen
    eve = _run(world, "eve")["result"]
    assert eve["seed_lists"] == ["dttot"] and eve["marking"]["caveats"] == ["EGMONT"], eve
    assert ("listed_counterparty", "ACC-CELL", "dttot") in _listed(world, "eve", eve["run_id"])
    assert world.get("ana", "/v1/alerts", params={"run_id": eve["run_id"]}).json()["total"] == 0
