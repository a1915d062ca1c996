"""Local users with roles, memory-hard password hashes, and signing in for commands that change
cases or reports. A core module below the capabilities: it uses the SQL store and the audit
trail, and imports no capability."""

from __future__ import annotations

import typer

from jalur.users.cli import USER_META, open_sql, signed_in
from jalur.users.passwords import hash_password, verify_password
from jalur.users.roles import (
    ADMIN,
    ANALYST,
    APPROVE_CASES,
    AUDITOR,
    MANAGE_USERS,
    READ_AUDIT,
    READ_CASES,
    RIGHTS,
    ROLES,
    SEAL_AUDIT,
    SUPERVISOR,
    WORK_CASES,
    may,
)
from jalur.users.service import (
    AccessError,
    User,
    UserError,
    add_user,
    disable_user,
    list_users,
    require,
    sign_in,
    workspace_has_users,
)


def register_cli(app: typer.Typer) -> None:
    """Add `jalur users …` to the root app."""
    from jalur.users.cli import users_app

    app.add_typer(users_app, name="users")


__all__ = [
    "ADMIN",
    "ANALYST",
    "APPROVE_CASES",
    "AUDITOR",
    "MANAGE_USERS",
    "READ_AUDIT",
    "READ_CASES",
    "RIGHTS",
    "ROLES",
    "SEAL_AUDIT",
    "SUPERVISOR",
    "USER_META",
    "WORK_CASES",
    "AccessError",
    "User",
    "UserError",
    "add_user",
    "disable_user",
    "hash_password",
    "list_users",
    "may",
    "open_sql",
    "register_cli",
    "require",
    "sign_in",
    "signed_in",
    "verify_password",
    "workspace_has_users",
]
