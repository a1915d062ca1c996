"""Every route of the OpenAPI document, asked by someone who should not see or do it.

For each route: without a token → 401; as a user of another agency (BNN) → 403 or 404, or an
answer that holds none of the default agency's data; as an admin and as a bank's client key (of
the default agency) → at least one of them is refused (403) for lack of the right. Where a route
takes an id, the answer for a real id the caller may not see must be the answer for an id that
does not exist (nothing told by the difference).
A route that takes a body and is missing from `_requests` fails the test: a new route must say
how it is tried here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from api_world import World
from exchange_world import exchange_ids

PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/v1/auth/token")}
#: Any signed-in caller may ask these about themselves (checked for 401 only).
SELF = {("GET", "/v1/auth/me"), ("POST", "/v1/auth/revoke")}
#: What the default agency holds that no one else may learn.
#: (Not the name the probes ask about: an answer may repeat the question.)
MARKERS = ("dttot", "1960-05-12", "DTTOT 2024", "ACC-CELL", "ACC-DRUG", "ACC-MULE", "Kartel")
BOGUS = "NOPE-0000"
PAYMENTS = (
    b"tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
    b"P-1,2025-04-01T10:00:00Z,ACC-X,X,ACC-Y,Y,100,IDR\n"
)


def _ids(world: World, root: Path) -> dict[str, str]:
    alerts = world.get("ana", "/v1/alerts").json()["alerts"]
    case = world.post("ana", "/v1/cases", json={
        "title": "visibility probe", "evidence": [{"kind": "alert", "ref": alerts[0]["alert_id"]}],
    }).json()  # fmt: skip
    batch = {"file": ("n.csv", b"name\nAbu Rusdan\n", "text/csv")}
    job = world.post("ana", "/v1/screening/batch", files=batch).json()
    world.wait(job["job_id"])
    channels = world.get("ana", "/v1/channels").json()["channels"]
    assert channels, "the world's trace found no channel"
    return {
        "name": "dttot", "dataset": "dttot", "entity_id": "dttot-rusdan",
        "channel_id": channels[0]["channel_id"],
        "alert_id": alerts[0]["alert_id"], "case_id": case["case_id"], "job_id": job["job_id"],
        "key_id": world.post("admin", "/v1/apikeys", json={"label": "probe"}).json()["id"],
        "action": "comment",
        **exchange_ids(world, root),
    }  # fmt: skip


#: Routes that change something yet take no body: the path says everything.
NO_BODY = {("DELETE", "/v1/apikeys/{key_id}")}


def _requests() -> dict[tuple[str, str], dict[str, Any]]:
    """A well-formed request for each route that takes one (what a permitted caller sends)."""
    row = b'{"id": "x1", "schema": "Person", "properties": {"name": ["X"]}}\n'
    upload = {"file": ("list.ftm.json", io.BytesIO(row))}
    requests: dict[tuple[str, str], dict[str, Any]] = {
        ("GET", "/v1/entities"): {"params": {"q": "Abu Rusdan"}},
        ("GET", "/search/{dataset}"): {"params": {"q": "Abu Rusdan"}},
        ("POST", "/match/{dataset}"): {"json": {"queries": {"q": {
            "schema": "Person", "properties": {"name": ["Abu Rusdan"]}}}}},
        ("POST", "/v1/screening/name"): {"json": {"name": "Abu Rusdan"}},
        ("POST", "/v1/screening/batch"): {"files": {"file": ("b.csv", b"name\nAbu Rusdan\n")}},
        ("POST", "/v1/lists"): {"files": upload},
        ("POST", "/v1/cases"): {"json": {"title": "t", "evidence": [
            {"kind": "subject", "ref": "dttot-rusdan"}]}},
        ("POST", "/v1/cases/{case_id}/{action}"): {"json": {"text": "a comment"}},
        ("POST", "/v1/cases/{case_id}/report"): {"json": {}},
        ("POST", "/v1/shares"): {"json": {"kind": "list", "ref": "dttot", "agency": "BNN"}},
        ("POST", "/v1/shares/revoke"): {"json": {"kind": "list", "ref": "dttot", "agency": "BNN"}},
        ("POST", "/v1/monitoring/runs"): {"json": {}},
        ("POST", "/v1/apikeys"): {"json": {"label": "probe"}},
        ("POST", "/v1/payments/decide"): {"json": {
            "tx_id": "VIS-1", "timestamp": "2026-03-02T10:00:00Z", "orig_account": "ID-1",
            "orig_name": "Siti Rahmawati", "bene_account": "ID-2", "bene_name": "Abu Rusdan",
            "amount": 1000.0, "currency": "USD", "channel": "wire"}},
        ("POST", "/v1/payments"): {"files": {"file": ("p.csv", PAYMENTS)},
                                   "data": {"format": "csv"}},
        ("POST", "/v1/exchange/packages"): {"json": {
            "to": ["AUSTRAC"], "purpose": "probe", "entities": ["id:dttot-rusdan"]}},
        ("POST", "/v1/exchange/packages/import"): {"files": {"file": ("p.jalur", b"{}")}},
        ("POST", "/v1/exchange/offers"): {"json": {"to": "AUSTRAC"}},
        ("POST", "/v1/exchange/offers/compare"): {"files": {"file": ("o.offer", b"{}")}},
    }  # fmt: skip
    return requests


def _request(method: str, path: str) -> dict[str, Any]:
    return _requests().get((method, path), {})


def _routes(world: World) -> list[tuple[str, str]]:
    spec = world.client.get("/openapi.json").json()["paths"]
    return sorted(
        (method.upper(), path)
        for path, methods in spec.items()
        for method in methods
        if (method.upper(), path) not in PUBLIC
    )


def _call(world: World, who: str | None, method: str, path: str, ids: dict[str, str]) -> Any:
    url = path.format(**ids)
    headers = world.auth(who) if who else {}
    return world.client.request(method, url, headers=headers, **_request(method, path))


def _leaks(text: str, asked: str = "") -> list[str]:
    return [m for m in MARKERS if m in text.replace(asked, "")]


def test_every_route_refuses_strangers_and_the_wrong_role(world: World, tmp_path: Path) -> None:
    ids = _ids(world, tmp_path)
    routes = _routes(world)
    assert len(routes) >= 20
    untried = [f"{m} {p}" for m, p in routes if m != "GET" and (m, p) not in _requests().keys()
               | NO_BODY | SELF]  # fmt: skip
    assert not untried, f"say in _requests how these are tried (or in NO_BODY): {untried}"
    problems = []
    for method, path in routes:
        if _call(world, None, method, path, ids).status_code != 401:
            problems.append(f"{method} {path}: answered without a token")
        if (method, path) in SELF:
            continue
        refused_by_role = False
        for who in ("bob", "admin", "client"):
            answer = _call(world, who, method, path, ids)
            asked = " ".join(ids[k] for k in ids if "{" + k + "}" in path)
            if answer.status_code in (403, 404):
                refused_by_role |= who != "bob" and answer.status_code == 403
            elif answer.status_code >= 400 and answer.status_code not in (409, 422):
                problems.append(f"{method} {path} as {who}: {answer.status_code}")
            leaked = _leaks(answer.text, asked) if who == "bob" else []  # the others may see
            if leaked and answer.status_code < 300:
                problems.append(f"{method} {path} as {who} leaks {leaked}: {answer.text[:200]}")
            if "{" in path and who == "bob":
                bogus = dict.fromkeys(ids, BOGUS) | {"action": ids["action"]}
                other = _call(world, who, method, path, bogus)
                if (other.status_code, other.text.replace(BOGUS, "ID")) != (
                    answer.status_code, _swap(answer.text, ids, path),
                ):  # fmt: skip
                    problems.append(
                        f"{method} {path}: a hidden id answers {answer.status_code} "
                        f"{answer.text[:120]}, a missing one {other.status_code} {other.text[:120]}"
                    )
        if not refused_by_role:
            problems.append(f"{method} {path}: no role was refused (admin and client both got in)")
    assert not problems, "\n".join(problems)


def _swap(text: str, ids: dict[str, str], path: str) -> str:
    for key, value in ids.items():
        if "{" + key + "}" in path and key != "action":
            text = text.replace(value, "ID")
    return text


@pytest.mark.parametrize("who", ["bob", "bea"])
def test_another_agency_sees_no_counts(world: World, who: str) -> None:
    assert "dttot" not in [x["list"] for x in world.get(who, "/v1/lists").json()]
    assert world.get(who, "/v1/alerts").json()["total"] == 0
    assert world.get(who, "/v1/cases").json() == []
    assert world.get(who, "/v1/entities", params={"q": "Abu Rusdan"}).json()["results"] == []
    search = world.get(who, "/search/default", params={"q": "Abu Rusdan"}).json()
    assert search["total"]["value"] == 0 and search["results"] == []
    assert world.get(who, "/search/dttot", params={"q": "Abu Rusdan"}).status_code == 404
    assert world.get(who, "/v1/audit").status_code in (403, 200)
