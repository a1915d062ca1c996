"""The web UI tests' fixture: `ui`, the story's workspace served, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from sql_backends import BACKENDS, _pg_url, pg_schema


@pytest.fixture(scope="module", params=BACKENDS)
def ui(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url, drop = pg_schema(_pg_url()) if request.param == "postgresql" else (None, None)
    try:
        settings = prepare(tmp_path_factory.mktemp("web") / "home", url)
        for _app, person in served(settings):
            yield person
    finally:
        if drop is not None:
            drop()
