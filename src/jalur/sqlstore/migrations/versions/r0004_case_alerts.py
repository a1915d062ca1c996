"""One case per alert and agency, held by the database.

Opening a case on an alert was check-then-open (the web UI looked for a case holding the alert,
then opened one): two analysts working the same alert at once both found none and opened two
cases. The case that works an alert for an agency is now claimed in `case_alerts`, whose primary
key lets one opener win; the other is refused with the case that holds the alert. Cases from
before this migration claim nothing: an open checks the cases holding the alert as well.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_alerts",
        sa.Column("agency", sa.String(32), primary_key=True),
        sa.Column("alert", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_alerts")
