"""The workspace's transactional store: users, the audit trail, cases (SQLAlchemy + Alembic).

Cases are written by many analysts at once, so they live in an OLTP database, not in the
analytical DuckDB file: a SQLite file in the workspace by default, PostgreSQL when `jalur.toml`
says so. `open_database` returns an engine on a database migrated to the newest schema. This
is a core module: every capability may use it, it imports none of them.
"""

from __future__ import annotations

from sqlalchemy import Engine

from jalur.config import SQL_FILE, Settings
from jalur.sqlstore import schema
from jalur.sqlstore.engine import (
    database_url,
    make_engine,
    reader_engine,
    snapshot,
    sqlite_journal,
)
from jalur.sqlstore.migrate import current_revision, head_revision, upgrade


def open_database(settings: Settings) -> Engine:
    """The workspace's store, created (private) and migrated when needed."""
    settings.ensure_home()
    engine = make_engine(database_url(settings), sqlite_journal(settings))
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


__all__ = [
    "SQL_FILE",
    "current_revision",
    "database_url",
    "head_revision",
    "make_engine",
    "open_database",
    "reader_engine",
    "schema",
    "snapshot",
    "sqlite_journal",
    "upgrade",
]
