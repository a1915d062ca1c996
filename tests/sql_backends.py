"""The SQL store under test on both databases: a workspace on SQLite and one on PostgreSQL.

`sql_settings` is parametrised: each test that uses it runs on the workspace's SQLite file and on
the PostgreSQL server `scripts/ensure-postgres.sh` started (`JALUR_TEST_PG_URL`), in a schema of
its own that is dropped afterwards. Without that server the PostgreSQL half skips on a
developer's machine and fails under CI, where `make test` always starts one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jalur.config import Settings
from shared_folder import in_ci

PG_URL_ENV = "JALUR_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def _pg_url() -> str:
    url = os.environ.get(PG_URL_ENV, "").strip()
    if url:
        return url
    missing = f"{PG_URL_ENV} is not set (scripts/ensure-postgres.sh start sets it)"
    if in_ci():
        pytest.fail(
            f"{missing}, but CI={os.environ['CI']!r}: CI must test PostgreSQL", pytrace=False
        )
    pytest.skip(missing)


def pg_schema(base_url: str) -> tuple[str, Callable[[], None]]:
    """A URL whose connections work in a fresh schema of the server at `base_url`, and the
    function that drops the schema again (for fixtures of any scope)."""
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


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema of the test server (dropped afterwards)."""
    url, drop = pg_schema(_pg_url())
    try:
        yield url
    finally:
        drop()


@pytest.fixture(params=BACKENDS)
def sql_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """A new workspace whose transactional store is SQLite or PostgreSQL."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_schema_url")
        (home / "jalur.toml").write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    return Settings.resolve(home)
