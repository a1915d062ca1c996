"""`GET /v1/lists/{name}/export` passes a partner's data on as `jalur lists export` does: each
originator's own consent (`consent=ORG=TEXT`, once per originator), each named in the refusal.
It took one `consent` text for the list's own caveat and let every partner's subject go with
it, while the CLI asked each originator."""

from __future__ import annotations

import json
from typing import Any

from api_world import World


def _received(world: World, name: str) -> None:
    """BNN's list holding subjects that PPATK sent and that AUSTRAC forwarded from PPATK, as
    a list file states it (`lists export` writes the provenance; the load marks it the
    file's: `PPATK (as list file NAME states)`)."""
    ppatk = {"agency": "PPATK", "partner": "ppatk"}
    rows = [
        {"id": f"{name}-1", "schema": "Person", "exchange": ppatk,
         "properties": {"name": ["Hendra Kurniawan"], "topics": ["crime.terror"]}},
        {"id": f"{name}-2", "schema": "Person",
         "exchange": {"agency": "AUSTRAC", "partner": "austrac", "forwarded_from": ppatk},
         "properties": {"name": ["Joko Santoso"], "topics": ["crime.terror"]}},
    ]  # fmt: skip
    content = b"".join(json.dumps(row).encode() + b"\n" for row in rows)
    files = {"file": (f"{name}.ftm.json", content)}
    answer = world.post("bob", "/v1/lists", files=files, data={"format": "ftm", "name": name})
    assert answer.status_code == 202, answer.text
    world.wait(answer.json()["job_id"])


def _exports(world: World, name: str) -> list[dict[str, Any]]:
    trail = world.get("bea", "/v1/audit", params={"object": f"list:{name}"}).json()["entries"]
    return [e["details"] for e in trail if e["action"] == "lists.export"]


def test_each_originator_is_asked_and_named(world: World) -> None:
    name = "bnn-received"
    _received(world, name)
    export = f"/v1/lists/{name}/export"
    refused = world.get("bob", export)
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert f"PPATK (as list file {name}.ftm.json states)" in detail
    assert f"AUSTRAC (as list file {name}.ftm.json states)" in detail
    assert "consent=ORG=TEXT" in refused.json()["detail"]
    one_text = world.get("bob", export, params={"consent": "letter 4 March"})
    assert one_text.status_code == 403, "one text for two originators"
    assert "2 originators: one consent each" in one_text.json()["detail"]
    partial = world.get("bob", export, params={"consent": ["ppatk=letter 4 March"]})
    assert partial.status_code == 403 and "without the consent of AUSTRAC" in partial.text
    assert _exports(world, name) == []
    given = world.get(
        "bob", export, params={"consent": ["ppatk=letter 4 March", "AUSTRAC=email 5 March"]}
    )
    assert given.status_code == 200, given.text
    assert {e["id"] for e in given.json()["entities"]} == {f"{name}-1", f"{name}-2"}
    stated = f"(as list file {name}.ftm.json states)"
    consents = {f"AUSTRAC {stated}": "email 5 March", f"PPATK {stated}": "letter 4 March"}
    assert given.json()["consents"] == consents
    line = f"AUSTRAC {stated}: email 5 March; PPATK {stated}: letter 4 March"
    assert _exports(world, name)[-1]["consent"] == line


def test_an_own_list_still_leaves_without_consent(world: World) -> None:
    answer = world.get("ana", "/v1/lists/dttot/export")
    assert answer.status_code == 200 and answer.json()["consents"] == {}


def test_an_overlong_consent_is_refused_not_cut(world: World) -> None:
    """Each consent was cut to 500 characters without a word (the audit trail then recorded
    another text than the one given)."""
    answer = world.get("ana", "/v1/lists/dttot/export", params={"consent": ["x=" + "y" * 600]})
    assert answer.status_code == 400 and "at most 500 characters" in answer.text
