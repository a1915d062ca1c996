"""The app starts on a workspace and answers: health, readiness, OpenAPI, a list, an alert."""

from __future__ import annotations

from api_world import World


def test_health_ready_openapi(world: World) -> None:
    assert world.client.get("/healthz").json() == {"status": "ok"}
    assert world.client.get("/readyz").json() == {"status": "ready"}
    paths = world.client.get("/openapi.json").json()["paths"]
    assert "/v1/cases/{case_id}" in paths and "/match/{dataset}" in paths
    assert world.client.get("/docs").status_code == 200


def test_default_agency_sees_cli_data(world: World) -> None:
    lists = world.get("ana", "/v1/lists").json()
    assert [x["list"] for x in lists] == ["dttot"]
    assert lists[0]["marking"] == {
        "agency": "DEFAULT",
        "classification": "RESTRICTED",
        "caveats": [],
    }
    alerts = world.get("ana", "/v1/alerts").json()
    assert alerts["total"] > 0
    one = world.get("ana", f"/v1/alerts/{alerts['alerts'][0]['alert_id']}").json()
    assert one["alert"]["explanation"] and one["payments"]
    entity = world.get("ana", "/v1/entities/dttot-rusdan").json()
    assert entity["entries"][0]["list"] == "dttot"
    hits = world.post("ana", "/v1/screening/name", json={"name": "Abu Rusdan"}).json()["hits"]
    assert hits[0]["entity_id"] == "dttot-rusdan"
