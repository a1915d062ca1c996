"""Tokens expire and can be revoked, forged ones sign nobody in, failed sign-ins are limited
and audited, API keys are made and revoked by an admin of the key's own agency."""

from __future__ import annotations

from api_world import World

from case_story import PW
from jalur.audit import entries
from jalur.sqlstore import open_database

PROBLEM = "application/problem+json"


def _refusals(world: World, name: str) -> list[str]:
    engine = open_database(world.settings)
    try:
        with engine.connect() as con:
            return [
                e.details.get("reason", "")
                for e in entries(con, f"user:{name}")
                if e.action == "access.refused"
            ]
    finally:
        engine.dispose()


def test_no_token_wrong_password_and_forged_tokens_are_401(world: World) -> None:
    answer = world.client.get("/v1/lists")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["status"] == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert world.sign_in("ana", "not the password").status_code == 401
    real = world.tokens["ana"]
    for forged in (
        real[:-2] + "xx",
        "jlt_" + "A" * 43,
        "jlk_0000_secret",
        real.upper(),
        "' OR 1=1 --",
    ):
        answer = world.client.get("/v1/lists", headers={"Authorization": f"Bearer {forged}"})
        assert answer.status_code == 401, forged


def test_a_token_expires(world: World) -> None:
    token = world.sign_in("sam").json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert world.client.get("/v1/auth/me", headers=headers).json()["name"] == "sam"
    world.clock.advance(token["expires_in"] + 1)
    try:
        assert world.client.get("/v1/auth/me", headers=headers).status_code == 401
    finally:
        world.clock.advance(-(token["expires_in"] + 1))
    assert world.client.get("/v1/auth/me", headers=headers).status_code == 200


def test_sign_out_revokes_the_token(world: World) -> None:
    token = world.sign_in("sue").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.post("/v1/auth/revoke", headers=headers).json() == {"revoked": True}
    assert world.client.get("/v1/auth/me", headers=headers).status_code == 401


def test_failed_sign_ins_are_rate_limited_and_audited(world: World) -> None:
    for _ in range(5):
        assert world.sign_in("uno", "wrong password!").status_code == 401
    limited = world.sign_in("uno", PW)  # the right password, too late
    assert limited.status_code == 429 and "too many failed attempts" in limited.json()["detail"]
    assert limited.headers["Retry-After"] == "900"  # the clock stood still: the whole window
    reasons = _refusals(world, "uno")
    assert reasons.count("unknown user or wrong password") >= 5
    assert any("failed sign-ins within" in r for r in reasons)
    world.clock.advance(901)  # the window has passed
    try:
        assert world.sign_in("uno", PW).status_code == 200
    finally:
        world.clock.advance(-901)


def test_api_keys_are_made_and_revoked_by_an_admin_of_their_agency(world: World) -> None:
    assert world.post("ana", "/v1/apikeys", json={"label": "x"}).status_code == 403
    made = world.post("admin", "/v1/apikeys", json={"label": "bank two", "days": 30}).json()
    headers = {"Authorization": f"Bearer {made['key']}"}
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Abu Rusdan"]}}}}
    assert world.client.post("/match/default", json=body, headers=headers).status_code == 200
    assert world.client.get("/v1/cases", headers=headers).status_code == 403  # a client's role
    listed = world.get("admin", "/v1/apikeys").json()
    assert made["id"] in [k["id"] for k in listed] and all("key_hash" not in k for k in listed)
    assert world.client.delete(f"/v1/apikeys/{made['id']}", headers=world.auth("admin")).json()
    assert world.client.post("/match/default", json=body, headers=headers).status_code == 401
    other = world.post("admin", "/v1/apikeys", json={"label": "short", "days": 1}).json()
    short = {"Authorization": f"Bearer {other['key']}"}
    assert world.client.get("/v1/auth/me", headers=short).json()["name"] == f"key:{other['id']}"
    world.clock.advance(2 * 86400)  # a key with days stops after them
    try:
        assert world.client.get("/v1/auth/me", headers=short).status_code == 401
    finally:
        world.clock.advance(-2 * 86400)
