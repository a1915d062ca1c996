"""Alembic's environment: always online, on the connection `migrate.upgrade` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes["connection"]
if not isinstance(connection, Connection):
    raise RuntimeError("jalur runs its migrations in code, with a connection (see migrate.py)")
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
