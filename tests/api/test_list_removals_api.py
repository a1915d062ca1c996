"""A list upload that would remove much of the list fails its job unless `allow_removals`."""

from __future__ import annotations

import json
from typing import Any

from api_world import World


def _upload(world: World, people: int, **form: Any) -> dict[str, Any]:
    """Upload list `watch` (agency BNN) holding persons 1…`people`; the finished job."""
    rows = [
        {"id": f"watch-{n}", "schema": "Person", "properties": {"name": [f"Listed Person {n}"]}}
        for n in range(1, people + 1)
    ]
    body = "".join(json.dumps(row) + "\n" for row in rows).encode()
    files = {"file": ("watch.ftm.json", body)}
    answer = world.post(
        "bob", "/v1/lists", files=files, data={"format": "ftm", "name": "watch", **form}
    )
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])
    job: dict[str, Any] = world.get("bob", f"/v1/jobs/{answer.json()['job_id']}").json()
    return job


def test_an_upload_removing_most_of_a_list_needs_allow_removals(world: World) -> None:
    assert _upload(world, 80)["status"] == "done"
    refused = _upload(world, 20)
    assert refused["status"] == "failed", refused
    assert "would remove 60 of its 80 current entries" in refused["error"], refused
    versions = world.get("bob", "/v1/lists/watch/versions").json()["versions"]
    assert [v["entities"] for v in versions] == [80]  # nothing stored
    loaded = _upload(world, 20, allow_removals="true")
    assert loaded["status"] == "done", loaded
    versions = world.get("bob", "/v1/lists/watch/versions").json()["versions"]
    assert [(v["entities"], v["removed"]) for v in versions] == [(80, 0), (20, 60)]
