"""A case opened over the API is created and marked in one transaction.

The marking says which agency owns the case and who may read it; an unmarked case is the
default agency's. Opened in one transaction and marked in a second, a server stopping between
the two (or a reader in between) left another agency's case unmarked: the default agency's
analysts then read and worked it, and its own agency lost it.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World
from sqlalchemy import select

import jalur.users.markings as markings_module
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import cases, markings


def _unmarked_cases(world: World) -> list[str]:
    engine = open_database(world.settings)
    try:
        with engine.connect() as con:
            marked = select(markings.c.ref).where(markings.c.kind == "case")
            found = con.execute(select(cases.c.id).where(cases.c.id.not_in(marked))).all()
    finally:
        engine.dispose()
    return [row.id for row in found]


def test_a_case_is_never_left_without_its_marking(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts = world.get("ana", "/v1/alerts").json()["alerts"]
    assert alerts
    append = markings_module.append

    def server_stops(con: Any, user: Any, action: str, obj: Any, details: Any = None) -> Any:
        if action == "marking.set" and str(obj).startswith("case:"):
            raise RuntimeError("the server stopped")
        return append(con, user, action, obj, details)

    monkeypatch.setattr(markings_module, "append", server_stops)
    asked = {"title": "cut short", "evidence": [{"kind": "alert", "ref": alerts[0]["alert_id"]}]}
    with pytest.raises(RuntimeError, match="the server stopped"):
        world.post("ana", "/v1/cases", json=asked)
    assert _unmarked_cases(world) == []
    monkeypatch.setattr(markings_module, "append", append)
    opened = world.post("ana", "/v1/cases", json=asked)
    assert opened.status_code == 201, opened.text
    assert opened.json()["marking"]["agency"] == "DEFAULT"
    assert _unmarked_cases(world) == []
