"""What a new agency met using the API as documented: a role refused as a role (403, audited
as `access.refused`), a case opened on an alert filed under the alert's typology, and a filter
value outside the allowed ones named instead of answered with nothing."""

from __future__ import annotations

from typing import Any

from api_world import World, open_on_alert


def _open_on_alert(world: World, who: str = "ana") -> tuple[str, dict[str, Any]]:
    answer, alert = open_on_alert(world, who, {"title": "worked over the API"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"]), alert


def _refusals(world: World, action: str) -> list[dict[str, Any]]:
    entries = world.get("sam", "/v1/audit", params={"limit": 1000}).json()["entries"]
    return [e for e in entries if e["action"] == "access.refused"
            and e["details"]["action"] == action]  # fmt: skip


def test_an_analyst_returning_a_proposal_is_refused_for_the_role(world: World) -> None:
    case_id, _ = _open_on_alert(world)
    url = f"/v1/cases/{case_id}"
    proposed = world.post("sam", f"{url}/propose", json={"decision": "close", "reason": "benign"})
    assert proposed.status_code == 200, proposed.text
    refused = world.post("ana", f"{url}/return", json={"reason": "not convinced"})
    # As approving: the role lacks the right (403), not a workflow conflict (409).
    assert refused.status_code == 403, refused.text
    assert "analyst may not approve cases" in refused.json()["detail"]
    assert _refusals(world, f"return {case_id}"), "the refusal is audited as access.refused"
    assert world.get("ana", url).json()["status"] == "proposed"  # nothing changed
    assert world.post("sue", f"{url}/return", json={"reason": "more"}).status_code == 200


def test_a_case_opened_on_an_alert_takes_the_alerts_typology(world: World) -> None:
    case_id, alert = _open_on_alert(world)
    case = world.get("ana", f"/v1/cases/{case_id}").json()
    assert case["typology"] == alert["typology"], case  # as `jalur cases open` and the UI do
    listed = world.get("ana", "/v1/cases", params={"typology": alert["typology"]}).json()
    assert case_id in {c["case_id"] for c in listed}


def test_an_unknown_case_status_is_named_not_answered_with_nothing(world: World) -> None:
    answer = world.get("ana", "/v1/cases", params={"status": "pending"})
    assert answer.status_code == 422, answer.text
    assert "status" in answer.json()["detail"] and "investigating" in answer.json()["detail"]
    assert world.get("ana", "/v1/cases", params={"status": "open"}).status_code == 200


def test_a_case_action_missing_what_it_needs_says_so(world: World) -> None:
    case_id, _ = _open_on_alert(world)
    url = f"/v1/cases/{case_id}"
    for action, body, named in (
        ("assign", {}, "assignee"),
        ("add", {}, "kind"),
        ("add", {"kind": "alert"}, "ref"),  # was 404 "no alert None"
        ("add", {"ref": "ALR-1"}, "kind"),
        ("add", {"kind": "weird", "ref": "ALR-1"}, "'weird'"),
    ):
        answer = world.post("ana", f"{url}/{action}", json=body)
        assert answer.status_code == 400, (action, body, answer.text)
        detail = answer.json()["detail"]
        assert named in detail and "None" not in detail, (action, body, detail)
    assert world.get("ana", url).json()["status"] == "open"  # nothing changed


def test_approving_as_documented_needs_no_body(world: World) -> None:
    """docs/service.md's "A case, end to end" approves with a bare POST: nothing to send."""
    case_id, _ = _open_on_alert(world)
    url = f"/v1/cases/{case_id}"
    proposed = world.post("ana", f"{url}/propose", json={"decision": "close", "reason": "benign"})
    assert proposed.status_code == 200, proposed.text
    approved = world.post("sam", f"{url}/approve")  # no body, no content type
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "closed"


def test_reading_the_audit_trail_over_the_api_is_itself_recorded(world: World) -> None:
    # `jalur audit show` records `audit.show` (the trail discloses data); GET /v1/audit, the
    # same listing over HTTP, left no entry: who read the trail was nowhere.
    first = world.get("sue", "/v1/audit", params={"object": "CASE-NOPE", "limit": 5})
    assert first.status_code == 200, first.text
    newest = world.get("sam", "/v1/audit", params={"limit": 50}).json()["entries"]
    shown = [e for e in newest if e["action"] == "audit.show" and e["user"] == "sue"]
    assert shown and shown[0]["object"] == "CASE-NOPE", newest[:3]
    assert shown[0]["details"] == {"entries": 0, "via": "api"}


def test_a_list_upload_in_an_unknown_format_is_refused_before_a_job(world: World) -> None:
    # POST /v1/lists with format=zip answered 202 and a job that failed on "--format: unknown
    # format" (a command-line option the caller never had); payments refuse it up front.
    files = {"file": ("l.json", b'{"id": "q1", "schema": "Person"}\n')}
    answer = world.post("ana", "/v1/lists", files=files, data={"format": "zip", "name": "qq"})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "'zip'" in detail and "ftm" in detail and "--format" not in detail, detail
    assert "qq" not in {entry["list"] for entry in world.get("ana", "/v1/lists").json()}


def _chunks(size: int) -> Any:
    yield b'{"name": "'
    for _ in range(size // 4096):
        yield b"a" * 4096
    yield b'"}'


def test_a_body_over_the_upload_bound_is_refused_before_it_is_read(world: World) -> None:
    # A 300 MB JSON body to /v1/screening/name, without even a token, took the server from
    # 330 MB to 1.5 GB before its 401: JSON and form bodies had no bound (uploads had one).
    bound = 64 * 1024  # the world's max_upload_bytes
    big = b'{"name": "' + b"a" * (2 * bound) + b'"}'
    json_type = {"content-type": "application/json"}
    for headers in ({}, world.auth("ana")):
        answer = world.client.post(
            "/v1/screening/name", content=big, headers={**headers, **json_type}
        )
        assert answer.status_code == 413, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert str(bound) in answer.json()["detail"], answer.json()
    streamed = world.client.post(  # no content-length: counted as it comes
        "/v1/screening/name", content=_chunks(2 * bound), headers={**world.auth("ana"), **json_type}
    )
    assert streamed.status_code == 413, streamed.text
    form = {"content-type": "application/x-www-form-urlencoded"}
    page = world.client.post("/ui/sign-in", content=b"username=" + b"a" * 2 * bound, headers=form)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    small = world.post("ana", "/v1/screening/name", json={"name": "Abu Rusdan"})
    assert small.status_code == 200, small.text


def test_a_client_key_reads_only_the_jobs_its_role_may_start(world: World) -> None:
    # A bank's client key ("screen names, nothing else") read its agency's monitoring run
    # job: the run id, its payments and alerts per typology; and the payments and list loads.
    started = world.post("ana", "/v1/monitoring/runs", json={"typologies": ["stack"]})
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    world.wait(job_id)
    assert world.get("ana", f"/v1/jobs/{job_id}").status_code == 200
    hidden = world.get("client", f"/v1/jobs/{job_id}")
    missing = world.get("client", "/v1/jobs/JOB-000000000000")
    assert hidden.status_code == missing.status_code == 404, hidden.text
    assert "RUN-" not in hidden.text
    rows = {"file": ("names.csv", b"id,name\n1,Abu Rusdan\n")}
    batch = world.client.post("/v1/screening/batch", files=rows, headers=world.auth("client"))
    assert batch.status_code == 202, batch.text
    world.wait(batch.json()["job_id"])
    assert world.get("client", f"/v1/jobs/{batch.json()['job_id']}").status_code == 200


def test_an_uploaded_payment_names_its_upload_not_the_servers_temporary_copy(
    world: World,
) -> None:
    """Payments loaded through the service were recorded under the spooled copy's path
    (/tmp/jalur-upload-…/pay.csv), which a case's payment evidence shows to every agency the
    case reaches: the source is now the agency and the uploaded file's name."""
    from test_payment_markings import HEADER, _load

    row = b"UP-1,2025-06-02T10:00:00Z,ACC-UP1,Satu Unggah,ACC-UP2,Dua Unggah,7000,IDR\n"
    loaded = _load(world, "ana", HEADER + row)
    assert loaded["accepted"] == 1, loaded
    opened = world.post("ana", "/v1/cases", json={
        "title": "an uploaded payment", "evidence": [{"kind": "payment", "ref": "UP-1"}],
    })  # fmt: skip
    assert opened.status_code == 201, opened.text
    shown = world.get("ana", f"/v1/cases/{opened.json()['case_id']}").text
    assert "jalur-upload" not in shown and "/tmp" not in shown, shown
    assert "upload:" in shown and "pay.csv" in shown, shown


def test_a_body_field_the_route_does_not_know_is_named_not_ignored(world: World) -> None:
    """`{"engine": "spark"}` to the monitoring run answered 202 and ran on DuckDB: a field a
    route does not read is refused (422) naming it, before anything runs."""
    answer = world.post("ana", "/v1/monitoring/runs", json={"engine": "spark"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == ["body", "engine"], answer.text
    typo = world.post("ana", "/v1/screening/name", json={"name": "Budi", "treshold": 0.9})
    assert typo.status_code == 422 and "treshold" in typo.text, typo.text


def test_a_one_word_search_finds_the_listed_names_holding_it(world: World) -> None:
    """`GET /v1/entities?q=Baasyir` and `/search/default?q=Baasyir` found nothing while the
    whole name found the entry: search used screening's threshold, which one word of three
    never reaches. A search lists what the words find, best first."""
    import json

    row = {"id": "bnn-baasyir", "schema": "Person",
           "properties": {"name": ["Abu Bakar Ba'asyir"], "topics": ["crime.terror"]}}  # fmt: skip
    files = {"file": ("words.ftm.json", (json.dumps(row) + "\n").encode())}
    loaded = world.post("bob", "/v1/lists", files=files, data={"format": "ftm", "name": "words"})
    assert loaded.status_code == 202, loaded.text
    world.wait(loaded.json()["job_id"])
    for q in ("Abu Bakar Ba'asyir", "Baasyir"):
        found = world.get("bob", "/v1/entities", params={"q": q}).json()
        assert "bnn-baasyir" in [h["entity_id"] for h in found["results"]], (q, found)
        yente = world.get("bob", "/search/default", params={"q": q}).json()
        assert "bnn-baasyir" in [r["id"] for r in yente["results"]], (q, yente)
