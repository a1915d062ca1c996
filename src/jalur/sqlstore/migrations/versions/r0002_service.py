"""The service: agencies, user clearances, bearer tokens, API keys, failed sign-ins, markings,
shares, consents and background jobs.

Markings live in tables of their own keyed by the ids other capabilities already use (a list
name, a monitoring run id, a case id, a package id), so no capability's table changes. Users
that existed before agencies get the installation's default agency.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NAME, TIME, HASH, CODE = sa.String(64), sa.String(40), sa.String(64), sa.String(32)
DEFAULT_AGENCY = "DEFAULT"


def upgrade() -> None:
    _agencies()
    _sessions()
    _markings()
    op.create_table(
        "service_jobs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("agency", CODE, nullable=False),
        sa.Column("user_name", NAME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("result", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("finished_at", TIME),
    )


def _agencies() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", CODE, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.execute(
        sa.text(
            "INSERT INTO agencies (code, name, is_default, created_at) "
            "VALUES (:code, 'the installation''s own agency', :yes, '1970-01-01T00:00:00Z')"
        ).bindparams(code=DEFAULT_AGENCY, yes=True)
    )
    op.execute(
        sa.text("UPDATE users SET agency = :code WHERE agency IS NULL").bindparams(
            code=DEFAULT_AGENCY
        )
    )
    op.create_table(
        "user_clearances",
        sa.Column("user_name", NAME, primary_key=True),
        sa.Column("clearance", sa.String(32), nullable=False),
        sa.Column("caveats", sa.Text, nullable=False),
    )


def _sessions() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", HASH, primary_key=True),
        sa.Column("user_name", NAME, nullable=False),
        sa.Column("issued_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME),
    )
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_name"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("key_hash", HASH, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency", CODE, nullable=False),
        sa.Column("clearance", sa.String(32), nullable=False),
        sa.Column("caveats", sa.Text, nullable=False),
        sa.Column("created_by", NAME, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("expires_at", TIME),
        sa.Column("revoked_at", TIME),
        sa.Column("revoked_by", NAME),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_name", NAME, nullable=False),
        sa.Column("at", TIME, nullable=False),
    )
    op.create_index("ix_login_failures_user", "login_failures", ["user_name", "at"])


def _markings() -> None:
    op.create_table(
        "markings",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("ref", sa.String(200), primary_key=True),
        sa.Column("agency", CODE, nullable=False),
        sa.Column("classification", sa.String(32), nullable=False),
        sa.Column("caveats", sa.Text, nullable=False),
        sa.Column("marked_by", NAME, nullable=False),
        sa.Column("marked_at", TIME, nullable=False),
    )
    op.create_table(
        "marking_shares",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("ref", sa.String(200), primary_key=True),
        sa.Column("agency", CODE, primary_key=True),
        sa.Column("shared_by", NAME, nullable=False),
        sa.Column("shared_at", TIME, nullable=False),
        sa.Column("consent", sa.Text),
    )


def downgrade() -> None:
    for table in (
        "marking_shares",
        "markings",
        "login_failures",
        "api_keys",
        "api_tokens",
        "user_clearances",
        "agencies",
        "service_jobs",
    ):
        op.drop_table(table)
