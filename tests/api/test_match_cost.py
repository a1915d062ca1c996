"""What a `/match` may cost: against a screening index that is current, no DuckDB file access.

The index lives in the server's memory; the list versions and listed entities' data it needs are
kept per state of the analytical store (`service.Listings`). A query that finds them current
has no reason to open a connection to the file (and a transaction) — which every `/match` did.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World

QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Abu Rusdan"]}}}}


def test_a_match_on_a_current_index_opens_no_duckdb_connection(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = world.post("client", "/match/default", json=QUERY)  # the index, entities: read
    assert first.status_code == 200 and first.json()["responses"]["q"]["results"]
    service: Any = world.client.app.state.service  # type: ignore[attr-defined]

    def refused() -> None:
        raise AssertionError("a /match on a current index opened the DuckDB file")

    monkeypatch.setattr(service.analytic, "reader", refused)
    again = world.post("client", "/match/default", json=QUERY)
    assert again.status_code == 200 and again.json() == first.json()
