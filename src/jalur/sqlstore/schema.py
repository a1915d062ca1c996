"""The tables of the workspace's transactional store (users, audit trail, cases).

SQLAlchemy Core tables, so one definition serves SQLite and PostgreSQL. The migrations in
`migrations/versions` create them; these objects are what the services query with. Times are
ISO-8601 UTC strings (what the audit chain hashes), details are canonical JSON text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

NAME, TIME, HASH = String(64), String(40), String(64)

users = Table(
    "users",
    metadata,
    Column("name", NAME, primary_key=True),
    Column("role", String(16), nullable=False),
    Column("agency", String(32)),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", TIME, nullable=False),
    Column("created_by", NAME),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", TIME, nullable=False),
    Column("user_name", NAME),
    Column("action", String(64), nullable=False),
    Column("object", String(200)),
    Column("details", Text, nullable=False),
    Column("prev_hash", HASH, nullable=False),
    Column("hash", HASH, nullable=False),
    Index("ix_audit_log_object", "object"),
)

#: One row (id 1): the newest entry. Appenders lock it, so concurrent writers take turns.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", HASH, nullable=False),
)

audit_seals = Table(
    "audit_seals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chain", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", HASH, nullable=False),
    Column("sealed_at", TIME, nullable=False),
    Column("key_id", String(128), nullable=False),
    Column("signature", String(200), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("typology", String(64)),
    Column("assignee", NAME),
    Column("opened_by", NAME, nullable=False),
    Column("opened_at", TIME, nullable=False),
    Column("updated_at", TIME, nullable=False),
    Column("version", Integer, nullable=False),
    Column("decision", String(8)),
    Column("report_type", String(16)),
    Column("proposal_reason", Text),
    Column("proposed_by", NAME),
    Column("proposed_at", TIME),
    Column("proposed_fingerprint", HASH),
    Column("approved_by", NAME),
    Column("approved_at", TIME),
    Column("report_reference", String(200)),
    Column("report_sha256", HASH),
    Index("ix_cases_status", "status"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("at", TIME, nullable=False),
    Column("user_name", NAME, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("details", Text, nullable=False),
    Index("ix_case_events_case", "case_id"),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("ref", String(200), nullable=False),
    Column("snapshot", Text, nullable=False),
    Column("added_by", NAME, nullable=False),
    Column("added_at", TIME, nullable=False),
    Column("removed_by", NAME),
    Column("removed_at", TIME),
    Index("ix_case_evidence_case", "case_id"),
    Index("ix_case_evidence_ref", "kind", "ref"),
)

#: The case each agency works an alert in: one per alert and agency, held by the primary key in
#: the transaction that opens the case (a check before the open let two openers both pass).
case_alerts = Table(
    "case_alerts",
    metadata,
    Column("agency", String(32), primary_key=True),
    Column("alert", String(200), primary_key=True),
    Column("case_id", String(32), nullable=False),
)

case_attachments = Table(
    "case_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("sha256", HASH, nullable=False),
    Column("name", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("added_by", NAME, nullable=False),
    Column("added_at", TIME, nullable=False),
)

case_dispositions = Table(
    "case_dispositions",
    metadata,
    Column("case_id", String(32), primary_key=True),
    Column("alert_id", String(200), primary_key=True),
    Column("label", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", NAME, nullable=False),
    Column("decided_at", TIME, nullable=False),
)

# --- the service (migration 0002): agencies, sessions, API keys, markings, jobs ---------------

CODE = String(32)

agencies = Table(
    "agencies",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", TIME, nullable=False),
)

#: A user's clearance (highest classification they may see) and the caveats they hold (JSON list).
user_clearances = Table(
    "user_clearances",
    metadata,
    Column("user_name", NAME, primary_key=True),
    Column("clearance", String(32), nullable=False),
    Column("caveats", Text, nullable=False),
)

#: Bearer tokens: only their sha256 is kept, so a copy of the database signs nobody in.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", HASH, primary_key=True),
    Column("user_name", NAME, nullable=False),
    Column("issued_at", TIME, nullable=False),
    Column("expires_at", TIME, nullable=False),
    Column("revoked_at", TIME),
    Index("ix_api_tokens_user", "user_name"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("key_hash", HASH, nullable=False),
    Column("label", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("agency", CODE, nullable=False),
    Column("clearance", String(32), nullable=False),
    Column("caveats", Text, nullable=False),
    Column("created_by", NAME, nullable=False),
    Column("created_at", TIME, nullable=False),
    Column("expires_at", TIME),
    Column("revoked_at", TIME),
    Column("revoked_by", NAME),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", NAME, nullable=False),
    Column("at", TIME, nullable=False),
    Index("ix_login_failures_user", "user_name", "at"),
)

#: The owning agency, classification and caveats (JSON list) of a record kept elsewhere:
#: kind is list, run, case, report, package, load…; ref is that record's own id.
markings = Table(
    "markings",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("ref", String(200), primary_key=True),
    Column("agency", CODE, nullable=False),
    Column("classification", String(32), nullable=False),
    Column("caveats", Text, nullable=False),
    Column("marked_by", NAME, nullable=False),
    Column("marked_at", TIME, nullable=False),
)

marking_shares = Table(
    "marking_shares",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("ref", String(200), primary_key=True),
    Column("agency", CODE, primary_key=True),
    Column("shared_by", NAME, nullable=False),
    Column("shared_at", TIME, nullable=False),
    Column("consent", Text),
)

service_jobs = Table(
    "service_jobs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("agency", CODE, nullable=False),
    Column("user_name", NAME, nullable=False),
    Column("status", String(16), nullable=False),
    Column("progress", Text, nullable=False),
    Column("result", Text),
    Column("error", Text),
    Column("created_at", TIME, nullable=False),
    Column("finished_at", TIME),
    #: The server running the job (migration 0003) and its last sign of life: another server
    #: fails the job only once that sign is older than the lease (`api.jobs`).
    Column("server", String(200)),
    Column("heartbeat_at", TIME),
)
