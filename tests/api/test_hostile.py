"""A demanding user's trial of the API: evidence added to a case under stricter markings than
the case's, paging past any real count, and values the database cannot hold. Each is a request
a client can send; none may show a record to someone not cleared for it, fail with a 500, or
put the service's SQL in an answer."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World
from exchange_world import keys_unlocked, make_partner
from test_payment_markings import HEADER, _load

#: A payment only EGMONT holders may read (eve holds it, ana and sam do not).
EGMONT_PAYMENT = (
    HEADER + b"EG-1,2025-06-01T10:00:00Z,ACC-EG1,Rahasia Satu,ACC-EG2,Rahasia Dua,5000,IDR\n"
)


def test_evidence_added_to_a_case_marks_it_as_strictly(world: World) -> None:
    loaded = _load(world, "eve", EGMONT_PAYMENT, caveats="EGMONT")
    assert loaded["marking"]["caveats"] == ["EGMONT"], loaded
    opened = world.post("ana", "/v1/cases", json={
        "title": "shop payments", "evidence": [{"kind": "payment", "ref": "T3"}],
    })  # fmt: skip
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    assert opened.json()["marking"]["caveats"] == []
    added = world.post("eve", f"/v1/cases/{case_id}/add", json={"kind": "payment", "ref": "EG-1"})
    assert added.status_code == 200, added.text
    assert added.json()["marking"]["caveats"] == ["EGMONT"]
    assert "EG-1" in {e["ref"] for e in added.json()["evidence"]}
    # ana opened the case, but may not read the EGMONT payment: the case is now beyond her.
    for who in ("ana", "sam"):
        shown = world.get(who, f"/v1/cases/{case_id}")
        assert shown.status_code == 404, shown.text
        assert shown.json()["detail"] == f"no case {case_id}"
        assert case_id not in {c["case_id"] for c in world.get(who, "/v1/cases").json()}
    # Evidence no stricter than the case leaves its marking as it was.
    again = world.post("eve", f"/v1/cases/{case_id}/add", json={"kind": "payment", "ref": "T4"})
    assert again.status_code == 200 and again.json()["marking"]["caveats"] == ["EGMONT"]


def test_an_offset_past_any_count_is_refused_not_a_500(world: World) -> None:
    huge = 10**20  # beyond a 64-bit integer: DuckDB could not bind it
    for who, url in [("ana", "/v1/alerts"), ("ana", "/v1/channels"), ("sam", "/v1/audit")]:
        answer = world.get(who, url, params={"offset": huge})
        assert answer.status_code == 422, (url, answer.text)
        assert answer.json()["errors"][0]["loc"] == ["query", "offset"]
        far = world.get(who, url, params={"offset": 10**9})
        assert far.status_code == 200, (url, far.text)


def test_a_value_the_database_cannot_hold_is_refused_without_its_sql(world: World) -> None:
    """PostgreSQL cannot keep a NUL character in text (SQLite kept it): a NUL in a JSON or form
    body is refused at the edge on both stores, naming the reason, not a statement, its
    parameters or the tables behind it; nothing is stored."""
    before = len(world.get("ana", "/v1/cases").json())
    answers = [
        world.client.post("/v1/auth/token", data={"username": "ana\x00", "password": "x"}),
        world.post(
            "ana",
            "/v1/cases",
            json={
                "title": "nul \x00 title",
                "evidence": [{"kind": "payment", "ref": "T3"}],
            },
        ),
        world.post("ana", "/v1/shares", json={"kind": "case", "ref": "C\x00", "agency": "BNN"}),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert "NUL" in answer.json()["detail"], answer.text
        for secret in ("[SQL", "SELECT", "INSERT", "login_failures", "parameters"):
            assert secret not in answer.text, answer.text
    assert len(world.get("ana", "/v1/cases").json()) == before


#: BNN's own payment, marked beyond every user of the default agency.
BNN_SECRET = HEADER + b"BS-1,2025-06-02T10:00:00Z,ACC-BS1,Bandar,ACC-BS2,Kurir,7000,IDR\n"


def test_a_case_shared_with_another_agency_is_read_there_not_worked(world: World) -> None:
    """A share lets BNN read the default agency's case; had BNN's analyst been able to add
    BNN's CONFIDENTIAL payment to it, assign it to BNN's supervisor or decide it, the owner's
    analysts would have read BNN's payment without any share of it (or, the case marked as
    strictly as that payment, lost their own case and the power to take the share back)."""
    _load(world, "bob", BNN_SECRET, classification="CONFIDENTIAL")
    opened = world.post("ana", "/v1/cases", json={
        "title": "shared with BNN", "evidence": [{"kind": "payment", "ref": "T3"}],
    })  # fmt: skip
    case_id = opened.json()["case_id"]
    shared = world.post("ana", "/v1/shares", json={"kind": "case", "ref": case_id, "agency": "BNN"})
    assert shared.status_code == 200, shared.text
    assert world.get("bob", f"/v1/cases/{case_id}").status_code == 200
    before = world.get("ana", f"/v1/cases/{case_id}").json()
    for action, body in [
        ("add", {"kind": "payment", "ref": "BS-1"}),
        ("assign", {"assignee": "bea"}),
        ("comment", {"text": "from BNN"}),
        ("propose", {"decision": "close", "reason": "nothing", "disposition": "false-positive"}),
    ]:
        refused = world.post("bob", f"/v1/cases/{case_id}/{action}", json=body)
        assert refused.status_code == 403, (action, refused.text)
        assert "only agency DEFAULT works it" in refused.json()["detail"]
    assert world.post("bob", f"/v1/cases/{case_id}/report").status_code == 403
    after = world.get("ana", f"/v1/cases/{case_id}")
    assert after.status_code == 200, after.text
    assert after.json() == before  # nothing changed, nothing of BNN's in it
    assert "BS-1" not in after.text
    revoked = world.post("ana", "/v1/shares/revoke", json={
        "kind": "case", "ref": case_id, "agency": "BNN",
    })  # fmt: skip
    assert revoked.status_code == 200, revoked.text
    # The owner still works its case.
    assert world.post("ana", f"/v1/cases/{case_id}/comment", json={"text": "ok"}).status_code == 200


def test_another_agencys_lookalikes_crowd_no_hit_out(world: World) -> None:
    """The server's one screener holds every agency's lists and kept the best `max_hits` of
    all before each caller's were picked: BNN, with twelve lookalikes of the default agency's
    listed man on its own list, was given nine, the tenth place taken by an entry it may not
    see (a silent drop, and a count that tells of a hidden list; entries scoring above a
    caller's own would have crowded out every one of its hits). Each caller now gets the
    best `max_hits` of the lists it sees, on every screening route and in batch jobs."""
    import json

    twin = {"name": ["Abu Rusdan"], "birthDate": ["1960-05-12"], "country": ["id"],
            "topics": ["crime.terror"]}  # fmt: skip
    rows = "".join(
        json.dumps({"id": f"a-twin-{i:02d}", "schema": "Person", "properties": twin}) + "\n"
        for i in range(12)
    )
    files = {"file": ("twins.ftm.json", rows.encode())}
    loaded = world.post("bob", "/v1/lists", files=files, data={"format": "ftm", "name": "twins"})
    assert loaded.status_code == 202, loaded.text
    world.wait(loaded.json()["job_id"])
    query = {"schema": "Person", "properties": {"name": ["Abu Rusdan"]}}
    matched = world.post("ana", "/match/default", json={"queries": {"q": query}})
    assert [r["id"] for r in matched.json()["responses"]["q"]["results"]] == ["dttot-rusdan"]
    named = world.post("ana", "/v1/screening/name", json={"name": "Abu Rusdan"}).json()
    assert [h["entity_id"] for h in named["hits"]] == ["dttot-rusdan"]
    searched = world.get("ana", "/v1/entities", params={"q": "Abu Rusdan"}).json()
    assert [h["entity_id"] for h in searched["results"]] == ["dttot-rusdan"]
    batch = world.post(
        "ana", "/v1/screening/batch", files={"file": ("b.csv", b"name\nAbu Rusdan\n")}
    )
    assert batch.status_code == 202, batch.text
    world.wait(batch.json()["job_id"])
    result = world.get("ana", f"/v1/jobs/{batch.json()['job_id']}").json()["result"]
    assert [h["entity_id"] for h in result["results"][0]["hits"]] == ["dttot-rusdan"]
    # BNN is given its own ten best (max_hits), none of the default agency's.
    theirs = world.post("bob", "/v1/screening/name", json={"name": "Abu Rusdan"}).json()["hits"]
    assert len(theirs) == 10 and all(h["list"] == "twins" for h in theirs)


def _failed(world: World, who: str, answer: Any) -> str:
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    found = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    assert found["status"] == "failed", found
    return str(found["error"])


def test_a_failed_upload_job_says_why_in_the_uploaded_files_name(world: World) -> None:
    """A payments file that is not text failed as "the job failed; the error is logged" (the
    job runner explained the capabilities' errors but not the service's own), and a list file
    that is not JSON named the server's temporary copy (/tmp/jalur-upload-…)."""
    garbage = world.post("ana", "/v1/payments", files={"file": ("pay.csv", b"\xff\xfe\x00junk")},
                         data={"format": "csv"})  # fmt: skip
    told = _failed(world, "ana", garbage)
    assert told.startswith("pay.csv: line 1: header is not readable text"), told
    broken = world.post("ana", "/v1/lists", files={"file": ("mine.json", b"{not json")},
                        data={"format": "ftm", "name": "broken-list"})  # fmt: skip
    told = _failed(world, "ana", broken)
    assert told.startswith("mine.json: line 1: not JSON"), told
    for answer in (garbage, broken):
        shown = world.get("ana", f"/v1/jobs/{answer.json()['job_id']}").text
        assert "jalur-upload" not in shown and "/tmp" not in shown, shown


def test_a_list_or_case_shared_with_us_is_not_sent_on_to_a_partner(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """BNN shares its list with the default agency (the one the exchange identity speaks
    for) to read; the default agency's analyst could seal its subjects into a package for a
    foreign partner, and every match offer carried them (an offer names no list: it takes
    every list the caller sees), though only the owner may share a record on."""
    make_partner(world, tmp_path_factory.mktemp("partners"))
    row = b'{"id": "bn-shared-1", "schema": "Person", "properties": {"name": ["Bandar Besar"]}}\n'
    job = world.post("bob", "/v1/lists", files={"file": ("bnn.ftm.json", row)},
                     data={"format": "ftm", "name": "bnn-shared"})  # fmt: skip
    world.wait(job.json()["job_id"])
    shared = world.post("bob", "/v1/shares", json={
        "kind": "list", "ref": "bnn-shared", "agency": "DEFAULT",
    })  # fmt: skip
    assert shared.status_code == 200, shared.text
    assert world.get("ana", "/v1/entities/bn-shared-1").status_code == 200  # read: yes
    with keys_unlocked():
        for term in ("id:bn-shared-1", "list:bnn-shared"):
            order = {"to": ["AUSTRAC"], "purpose": "p", "entities": [term]}
            sent = world.post("ana", "/v1/exchange/packages", json=order)
            assert sent.status_code == 403, (term, sent.text)
            assert "only agency BNN sends it onward" in sent.json()["detail"]
        asked = world.post("ana", "/v1/exchange/offers", json={
            "to": "AUSTRAC", "lists": ["bnn-shared"],
        })  # fmt: skip
        assert asked.status_code == 403, asked.text
        every = world.post("ana", "/v1/exchange/offers", json={"to": "AUSTRAC"})
        assert every.status_code == 201, every.text
        assert "bnn-shared" not in every.json()["lists"] and "dttot" in every.json()["lists"]
        own = world.post("ana", "/v1/exchange/packages", json={
            "to": ["AUSTRAC"], "purpose": "p", "entities": ["id:dttot-rusdan"],
        })  # fmt: skip
        assert own.status_code == 201, own.text
    assert "bn-shared-1" not in world.get("ana", "/v1/exchange/packages").text


def test_a_share_names_another_agency_of_the_installation(world: World) -> None:
    """A share with a mistyped agency code was accepted (and would have opened the record to
    whoever was one day added under it); one with the caller's own agency was a no-op."""
    opened = world.post("ana", "/v1/cases", json={
        "title": "share me", "evidence": [{"kind": "payment", "ref": "T3"}],
    })  # fmt: skip
    case_id = opened.json()["case_id"]
    for agency, said in (("BNNN", "no agency BNNN"), ("default", "is your own")):
        refused = world.post("ana", "/v1/shares", json={
            "kind": "case", "ref": case_id, "agency": agency,
        })  # fmt: skip
        assert refused.status_code == 400, refused.text
        assert said in refused.json()["detail"]
    trail = world.get("sam", "/v1/audit", params={"object": f"case:{case_id}"}).json()["entries"]
    assert "marking.share" not in [e["action"] for e in trail]
    shared = world.post("ana", "/v1/shares", json={"kind": "case", "ref": case_id, "agency": "bnn"})
    assert shared.status_code == 200 and shared.json()["shared_with"] == "BNN"


def test_a_case_is_assigned_only_to_a_user_cleared_for_it(world: World) -> None:
    """Assigning an EGMONT case to ana (no EGMONT) was accepted: she was given a case she
    cannot open. The assignee must be cleared for the case's marking."""
    _load(world, "eve", EGMONT_PAYMENT, caveats="EGMONT")
    opened = world.post("eve", "/v1/cases", json={
        "title": "restricted", "evidence": [{"kind": "payment", "ref": "EG-1"}],
    })  # fmt: skip
    assert opened.status_code == 201, opened.text
    url = f"/v1/cases/{opened.json()['case_id']}"
    refused = world.post("eve", f"{url}/assign", json={"assignee": "ana"})
    assert refused.status_code == 400, refused.text
    assert "ana is not cleared for" in refused.json()["detail"]
    assert world.get("eve", url).json()["assignee"] != "ana"
    assert world.post("eve", f"{url}/assign", json={"assignee": "eve"}).status_code == 200


def test_a_run_of_an_unknown_typology_is_refused_not_queued(world: World) -> None:
    """It was accepted (202) and the job failed later; the CLI refuses it at once, as now the
    API does, with the same words."""
    answer = world.post("ana", "/v1/monitoring/runs", json={"typologies": ["fan_in", "nope"]})
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"].startswith("unknown typology nope (known: structuring")
