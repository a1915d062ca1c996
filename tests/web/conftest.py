"""The web UI tests' fixture: `ui`, the story's workspace served, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from web_world import prepare, served

from sql_backends import BACKENDS, _pg_url


@pytest.fixture(scope="module", params=BACKENDS)
def ui(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url, drop = _schema(_pg_url()) if request.param == "postgresql" else (None, None)
    try:
        settings = prepare(tmp_path_factory.mktemp("web") / "home", url)
        for _app, person in served(settings):
            yield person
    finally:
        if drop is not None:
            drop()


def _schema(base_url: str) -> tuple[str, Any]:
    base = make_url(base_url).set(drivername="postgresql+psycopg")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    with admin.begin() as con:
        con.execute(text(f"CREATE SCHEMA {schema}"))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as con:
            con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return url.render_as_string(hide_password=False).replace("+psycopg", "", 1), drop
