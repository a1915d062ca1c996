"""The transactional store: created private, migrated in code, on SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from jalur.config import ConfigError, Settings
from jalur.sqlstore import (
    SQL_FILE,
    current_revision,
    database_url,
    head_revision,
    open_database,
    schema,
)

TABLES = {
    "users",
    "audit_log",
    "audit_head",
    "audit_seals",
    "cases",
    "case_events",
    "case_evidence",
    "case_attachments",
    "case_dispositions",
}


def test_opening_migrates_to_the_newest_schema(sql_settings: Settings) -> None:
    engine = open_database(sql_settings)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as con:
            assert current_revision(con) == head_revision()
            assert con.execute(select(schema.audit_head.c.seq)).scalar_one() == 0
    finally:
        engine.dispose()
    again = open_database(sql_settings)  # a second open finds it current and changes nothing
    again.dispose()


def test_the_sqlite_file_is_private(tmp_path: Path) -> None:
    settings = Settings.resolve(tmp_path / "home")
    open_database(settings).dispose()
    mode = stat.S_IMODE((settings.home / SQL_FILE).stat().st_mode)
    assert mode == 0o600


def test_postgresql_url_uses_the_shipped_driver(tmp_path: Path) -> None:
    (tmp_path / "jalur.toml").write_text('[database]\nurl = "postgresql://u@db/x"\n')
    url = database_url(Settings.resolve(tmp_path))
    assert url.drivername == "postgresql+psycopg"
    assert url.database == "x"


@pytest.mark.parametrize("value", ['""', "3", '"mysql://u@h/d"', '"not a url"'])
def test_a_bad_database_url_is_a_clear_config_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "jalur.toml").write_text(f"[database]\nurl = {value}\n")
    with pytest.raises(ConfigError, match=r"\[database\] url"):
        database_url(Settings.resolve(tmp_path))
