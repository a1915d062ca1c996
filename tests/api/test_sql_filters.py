"""SQL-significant characters in every filter and search of the API select nothing, change
nothing and fail nothing (values are bound, never pasted into SQL)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_world import World

NASTY = ["' OR '1'='1", "'; DROP TABLE alerts; --", '" OR ""="', "%", "_", "\\", "*/ --"]


def _counts(world: World) -> tuple[int, int, int]:
    alerts = world.get("ana", "/v1/alerts").json()["total"]
    cases = len(world.get("ana", "/v1/cases").json())
    lists = len(world.get("ana", "/v1/lists").json())
    return alerts, cases, lists


@pytest.mark.parametrize("value", NASTY)
def test_filters_with_sql_in_them(world: World, value: str) -> None:
    before = _counts(world)
    for name in ("typology", "account", "run_id"):
        answer = world.get("ana", "/v1/alerts", params={name: value})
        assert answer.status_code == 200 and answer.json()["total"] == 0, (name, answer.text)
    for name in ("assignee", "typology"):
        answer = world.get("ana", "/v1/cases", params={name: value})
        assert answer.status_code == 200 and answer.json() == [], (name, answer.text)
    answer = world.get("ana", "/v1/cases", params={"status": value})  # not a status: named
    assert answer.status_code == 422 and "investigating" in answer.text, answer.text
    assert world.get("sam", "/v1/audit", params={"object": value}).json()["entries"] == []
    for url in ("/v1/entities", "/search/default"):
        assert world.get("ana", url, params={"q": value}).status_code == 200
    for url in ("/v1/alerts/", "/v1/cases/", "/v1/entities/", "/v1/lists/"):
        answer = world.get(
            "ana", url + quote(value, safe="") + ("/delta" if "lists" in url else "")
        )
        routed = {404, 405} if "/" in value else {404}  # a '/' splits the path: another route
        assert answer.status_code in routed, (url, answer.text)
    screened = world.post("ana", "/v1/screening/name", json={"name": value})
    if any(c.isalnum() for c in value):
        assert screened.status_code == 200, screened.text
    else:  # nothing in it can be screened: refused, not answered as a clean name
        assert screened.status_code == 422 and "name" in screened.text, screened.text
    assert _counts(world) == before
    for method, url in (("GET", "/v1/channels/{}/graph"), ("POST", "/v1/cases/{}/report")):
        answer = world.client.request(
            method, url.format(quote(value, safe="")), headers=world.auth("ana")
        )
        routed = {404, 405} if "/" in value else {404}
        assert answer.status_code in routed, (url, answer.text)
    assert world.post("ana", "/v1/cases/x/report", json={"consent": value}).status_code == 404
    upload = {"file": ("p.csv", b"tx_id\n")}
    answer = world.post("ana", "/v1/payments", files=upload, data={"format": value})
    assert answer.status_code == 422, answer.text
    assert world.get("ana", "/v1/channels").json()["total"] >= 1
    assert _counts(world) == before


def test_a_nul_character_is_refused_the_same_on_both_databases(world: World) -> None:
    for url, params in (
        ("/v1/alerts", {"typology": "a\x00b"}),
        ("/v1/cases", {"status": "\x00"}),
        ("/v1/audit", {"object": "x\x00"}),
        ("/search/default", {"q": "Abu\x00"}),
    ):
        answer = world.get("sam", url, params=params)
        assert answer.status_code == 422 and "NUL" in answer.json()["detail"], url
    assert world.get("ana", "/v1/cases/CASE%00X").status_code == 422
