"""What the service keeps between requests (`jalur.api.kept`): who a token stands for and the
markings of records. Kept, they cost a request no read of the transactional store; and yet a
share, a new record of another agency, a sign-out, an expiry take effect with the very next
request, and a user disabled by another process (the command line) within `MAX_AGE_S`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api_world import World
from sqlalchemy import event
from test_payment_markings import BNN_PAYMENTS, _load

from case_story import PW
from jalur.api.kept import MAX_AGE_S
from jalur.sqlstore import open_database
from jalur.users import add_user, disable_user, find_user

QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Abu Rusdan"]}}}}


@contextmanager
def _statements(world: World) -> Iterator[list[str]]:
    """The SQL statements the server sends to the transactional store meanwhile."""
    service: Any = world.client.app.state.service  # type: ignore[attr-defined]
    seen: list[str] = []

    def sent(_con: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    engines = {id(e): e for e in (service.engine, service.reader)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", sent)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", sent)


def test_asking_again_reads_nothing_from_the_transactional_store(world: World) -> None:
    first = world.get("ana", "/v1/alerts", params={"limit": 5})
    matched = world.post("client", "/match/default", json=QUERY)
    assert first.status_code == matched.status_code == 200
    with _statements(world) as seen:
        assert world.get("ana", "/v1/alerts", params={"limit": 5}).json() == first.json()
        assert world.post("client", "/match/default", json=QUERY).json() == matched.json()
    assert seen == []


def test_a_share_and_another_agencys_new_case_take_effect_at_once(world: World) -> None:
    ours = world.get("ana", "/v1/alerts").json()
    assert ours["total"] and world.get("bob", "/v1/alerts").json()["total"] == 0  # kept now
    run_id = ours["alerts"][0]["run_id"]
    shared = world.post("ana", "/v1/shares", json={"kind": "run", "ref": run_id, "agency": "BNN"})
    assert shared.status_code == 200, shared.text
    assert run_id in {a["run_id"] for a in world.get("bob", "/v1/alerts").json()["alerts"]}
    # A case BNN opens is BNN's from the first request on: a kept list of case markings
    # without it would take it for the default agency's, and show it to ana.
    assert world.get("ana", "/v1/cases").status_code == 200
    _load(world, "bob", BNN_PAYMENTS)
    opened = world.post("bob", "/v1/cases", json={
        "title": "BNN courier", "evidence": [{"kind": "payment", "ref": "B-1"}]})  # fmt: skip
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    assert world.get("ana", f"/v1/cases/{case_id}").status_code == 404
    assert case_id not in {c["case_id"] for c in world.get("ana", "/v1/cases").json()}
    assert world.get("bob", f"/v1/cases/{case_id}").status_code == 200


def test_a_kept_token_still_expires_and_signs_out(world: World) -> None:
    token = world.sign_in("sam").json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    for _ in range(2):  # the second answer from what was kept
        assert world.client.get("/v1/alerts", headers=headers).status_code == 200
    world.clock.advance(token["expires_in"] + 1)
    try:
        assert world.client.get("/v1/alerts", headers=headers).status_code == 401
    finally:
        world.clock.advance(-(token["expires_in"] + 1))
    assert world.client.get("/v1/alerts", headers=headers).status_code == 200
    assert world.client.post("/v1/auth/revoke", headers=headers).json() == {"revoked": True}
    assert world.client.get("/v1/alerts", headers=headers).status_code == 401


def test_a_user_disabled_by_another_process_is_refused_within_the_kept_time(
    world: World,
) -> None:
    engine = open_database(world.settings)  # another process's engine: the server is not told
    try:
        admin = find_user(engine, "admin")
        add_user(engine, admin, "dan", "analyst", PW)
        headers = {"Authorization": f"Bearer {world.sign_in('dan').json()['access_token']}"}
        assert world.client.get("/v1/alerts", headers=headers).status_code == 200
        disable_user(engine, admin, "dan")
    finally:
        engine.dispose()
    later = int(MAX_AGE_S) + 1
    world.clock.advance(later)
    try:
        assert world.client.get("/v1/alerts", headers=headers).status_code == 401
    finally:
        world.clock.advance(-later)
    assert world.client.get("/v1/alerts", headers=headers).status_code == 401
