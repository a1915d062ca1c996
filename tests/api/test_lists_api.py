"""Lists loaded over the API belong to the loader's agency with their marking; caveated lists
are seen only by holders of the caveat and leave only with consent; bad uploads store nothing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from api_world import World


def _upload(world: World, who: str, name: str, person: str, **form: Any) -> Any:
    row = {"id": f"{name}-1", "schema": "Person",
           "properties": {"name": [person], "topics": ["crime.terror"]}}  # fmt: skip
    files = {"file": (f"{name}.ftm.json", json.dumps(row).encode() + b"\n")}
    return world.post(who, "/v1/lists", files=files, data={"format": "ftm", "name": name, **form})


def _loaded(world: World, who: str, name: str, person: str, **form: Any) -> dict[str, Any]:
    answer = _upload(world, who, name, person, **form)
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    job: dict[str, Any] = world.get(who, f"/v1/jobs/{answer.json()['job_id']}").json()
    return job


def test_a_caveated_list_of_another_agency(world: World) -> None:
    job = _loaded(world, "bob", "bnn-watch", "Hendra Kurniawan", caveats=["EGMONT"],
                  classification="CONFIDENTIAL")  # fmt: skip
    assert job["status"] == "done", job
    mine = {x["list"]: x for x in world.get("bob", "/v1/lists").json()}
    assert mine["bnn-watch"]["marking"] == {
        "agency": "BNN", "classification": "CONFIDENTIAL", "caveats": ["EGMONT"]}  # fmt: skip
    assert "bnn-watch" not in world.get("ana", "/v1/lists").text
    assert world.get("ana", "/v1/entities/bnn-watch-1").status_code == 404
    # export: no onward dissemination without consent
    refused = world.get("bob", "/v1/lists/bnn-watch/export")
    assert refused.status_code == 403 and "consent" in refused.json()["detail"]
    given = world.get("bob", "/v1/lists/bnn-watch/export", params={"consent": "BNN letter 12"})
    assert given.status_code == 200 and given.json()["entities"][0]["id"] == "bnn-watch-1"
    # sharing: consent again; then only DEFAULT users cleared for it and holding EGMONT see it
    share = {"kind": "list", "ref": "bnn-watch", "agency": "DEFAULT"}
    assert world.post("bob", "/v1/shares", json=share).status_code == 403
    assert (
        world.post("bob", "/v1/shares", json={**share, "consent": "BNN letter 12"}).status_code
        == 200
    )
    assert "bnn-watch" not in world.get("ana", "/v1/lists").text  # no EGMONT, RESTRICTED only
    assert "bnn-watch" not in world.get("eve", "/v1/lists").text  # EGMONT, but RESTRICTED only
    # the default agency cannot share on what it was shown, consent or not
    assert (
        world.post("eve", "/v1/shares", json={**share, "agency": "X", "consent": "y"}).status_code
        == 404
    )


def test_marking_beyond_ones_clearance_or_a_taken_name_is_refused(world: World) -> None:
    assert _upload(world, "ana", "mine", "Someone Else", caveats=["EGMONT"]).status_code == 400
    assert _upload(world, "ana", "mine", "Someone Else", classification="SECRET").status_code == 400
    assert _upload(world, "bob", "dttot", "Someone Else").status_code == 409
    versions = world.get("ana", "/v1/lists/dttot/versions").json()["versions"]
    assert len(versions) == 1


def test_oversized_and_malformed_uploads_store_nothing(world: World) -> None:
    big = {"file": ("big.ftm.json", b"x" * (64 * 1024 + 1))}
    answer = world.post("ana", "/v1/lists", files=big, data={"name": "big"})
    assert answer.status_code == 413 and answer.headers["content-type"].startswith(
        "application/problem+json"
    )
    broken = {"file": ("broken.ftm.json", b"{not json\n")}
    answer = world.post("ana", "/v1/lists", files=broken, data={"format": "ftm", "name": "broken"})
    assert answer.status_code == 202
    world.wait(answer.json()["job_id"])
    job = world.get("ana", f"/v1/jobs/{answer.json()['job_id']}").json()
    assert job["status"] == "failed" and job["error"]
    names = [x["list"] for x in world.get("ana", "/v1/lists").json()]
    assert "big" not in names and "broken" not in names
    assert world.post("ana", "/v1/lists", data={"name": "nofile"}).status_code == 422
    assert world.post("ana", "/v1/lists", files=big, data={"name": "a'; DROP"}).status_code == 422
    for body in (b"{", b"[]", b'{"name": 5}', b'{"name": ""}', b"\xff\xfe"):
        answer = world.client.post(
            "/v1/screening/name", content=body,
            headers={**world.auth("ana"), "content-type": "application/json"},
        )  # fmt: skip
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["status"] == 422
    batch = world.post("ana", "/v1/screening/batch", files={"file": ("b.csv", b"nama\nX\n")})
    assert batch.status_code == 422 and "'name' column" in batch.json()["detail"]
    batch = world.post("ana", "/v1/screening/batch", files={"file": ("b.csv", b"name\n\n,\nX\n")})
    assert batch.status_code == 422 and "line 3: no name" in batch.json()["detail"]


def test_an_upload_refused_before_its_job_leaves_no_copy_behind(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service writes an upload to a private folder for the job that reads it; a refusal
    before the job is queued (a list name another agency owns) left that copy of the agency's
    file behind, one more on every refused upload."""
    spooled = tmp_path / "spooled"
    spooled.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spooled))  # where the copies were kept
    uploads = world.settings.home / "uploads"
    assert _upload(world, "bob", "dttot", "Someone Else").status_code == 409
    assert list(spooled.iterdir()) == []
    assert not uploads.exists() or list(uploads.iterdir()) == []
