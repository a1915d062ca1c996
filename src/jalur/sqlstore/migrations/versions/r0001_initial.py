"""Users, the audit trail and its seals, cases with their timeline, evidence and decisions.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NAME, TIME, HASH = sa.String(64), sa.String(40), sa.String(64)


def upgrade() -> None:
    _users_and_audit()
    _cases()


def _users_and_audit() -> None:
    op.create_table(
        "users",
        sa.Column("name", NAME, primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(32)),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("created_by", NAME),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("user_name", NAME),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object", sa.String(200)),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", HASH, nullable=False),
        sa.Column("hash", HASH, nullable=False),
    )
    op.create_index("ix_audit_log_object", "audit_log", ["object"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", HASH, nullable=False),
    )
    op.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '" + "0" * 64 + "')"))
    op.create_table(
        "audit_seals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chain", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", HASH, nullable=False),
        sa.Column("sealed_at", TIME, nullable=False),
        sa.Column("key_id", sa.String(128), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
    )


def _cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("typology", sa.String(64)),
        sa.Column("assignee", NAME),
        sa.Column("opened_by", NAME, nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(8)),
        sa.Column("report_type", sa.String(16)),
        sa.Column("proposal_reason", sa.Text),
        sa.Column("proposed_by", NAME),
        sa.Column("proposed_at", TIME),
        sa.Column("proposed_fingerprint", HASH),
        sa.Column("approved_by", NAME),
        sa.Column("approved_at", TIME),
        sa.Column("report_reference", sa.String(200)),
        sa.Column("report_sha256", HASH),
    )
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("user_name", NAME, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
    )
    op.create_index("ix_case_events_case", "case_events", ["case_id"])
    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
        sa.Column("added_by", NAME, nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.Column("removed_by", NAME),
        sa.Column("removed_at", TIME),
    )
    op.create_index("ix_case_evidence_case", "case_evidence", ["case_id"])
    op.create_index("ix_case_evidence_ref", "case_evidence", ["kind", "ref"])
    op.create_table(
        "case_attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("sha256", HASH, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("added_by", NAME, nullable=False),
        sa.Column("added_at", TIME, nullable=False),
    )
    op.create_table(
        "case_dispositions",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("alert_id", sa.String(200), primary_key=True),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_by", NAME, nullable=False),
        sa.Column("decided_at", TIME, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "case_dispositions",
        "case_attachments",
        "case_evidence",
        "case_events",
        "cases",
        "audit_seals",
        "audit_head",
        "audit_log",
        "users",
    ):
        op.drop_table(table)
