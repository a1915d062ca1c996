"""Which server runs a job, and when it last said it still does.

Several `jalur serve` share one PostgreSQL store; each failed, when it started, every job still
queued or running, the other servers' live jobs too. A job now carries its server and a
heartbeat, so a starting server fails its own abandoned jobs, and another's only once that
server has stopped beating. Jobs from before this migration have neither: any server may fail
them, as before.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_jobs") as batch:
        batch.add_column(sa.Column("server", sa.String(200)))
        batch.add_column(sa.Column("heartbeat_at", sa.String(40)))


def downgrade() -> None:
    with op.batch_alter_table("service_jobs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("server")
