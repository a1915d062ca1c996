"""Local users with roles, agencies and clearances; bearer tokens and API keys; memory-hard
password hashes; signing in for commands that change cases or reports. A core module below the
capabilities: it uses the SQL store and the audit trail, and imports no capability."""

from __future__ import annotations

import typer

from jalur.users.clearance import (
    CLASSIFICATIONS,
    DEFAULT_CLASSIFICATION,
    DEFAULT_CLEARANCE,
    EGMONT,
    NO_ONWARD,
    check_agency,
    check_caveats,
    check_classification,
    cleared,
    level,
    no_onward,
)
from jalur.users.cli import USER_META, open_sql, signed_in
from jalur.users.markings import (
    KINDS,
    Marking,
    default_of,
    mark,
    markings_of,
    share,
    strictest,
    tighten,
    unshare,
)
from jalur.users.markings import incoming as incoming_marking
from jalur.users.passwords import hash_password, verify_password
from jalur.users.roles import (
    ADMIN,
    ANALYST,
    APPROVE_CASES,
    AUDITOR,
    CLIENT,
    LOAD_DATA,
    MANAGE_USERS,
    READ_AUDIT,
    READ_CASES,
    READ_DATA,
    RIGHTS,
    ROLES,
    SCREEN,
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
    default_agency,
    disable_user,
    find_user,
    list_agencies,
    list_users,
    lock_user,
    require,
    sign_in,
    workspace_has_users,
)
from jalur.users.sessions import (
    KEY_PREFIX,
    TOKEN_PREFIX,
    Issued,
    RateLimitedError,
    bearer_session,
    bearer_user,
    create_api_key,
    issue_token,
    list_api_keys,
    revoke_api_key,
    revoke_token,
    sign_in_limited,
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
    "CLASSIFICATIONS",
    "CLIENT",
    "DEFAULT_CLASSIFICATION",
    "DEFAULT_CLEARANCE",
    "EGMONT",
    "KEY_PREFIX",
    "KINDS",
    "LOAD_DATA",
    "MANAGE_USERS",
    "NO_ONWARD",
    "READ_AUDIT",
    "READ_CASES",
    "READ_DATA",
    "RIGHTS",
    "ROLES",
    "SCREEN",
    "SEAL_AUDIT",
    "SUPERVISOR",
    "TOKEN_PREFIX",
    "USER_META",
    "WORK_CASES",
    "AccessError",
    "Issued",
    "Marking",
    "RateLimitedError",
    "User",
    "UserError",
    "add_user",
    "bearer_session",
    "bearer_user",
    "check_agency",
    "check_caveats",
    "check_classification",
    "cleared",
    "create_api_key",
    "default_agency",
    "default_of",
    "disable_user",
    "find_user",
    "hash_password",
    "incoming_marking",
    "issue_token",
    "level",
    "list_agencies",
    "list_api_keys",
    "list_users",
    "lock_user",
    "mark",
    "markings_of",
    "may",
    "no_onward",
    "open_sql",
    "register_cli",
    "require",
    "revoke_api_key",
    "revoke_token",
    "share",
    "sign_in",
    "sign_in_limited",
    "signed_in",
    "strictest",
    "tighten",
    "unshare",
    "verify_password",
    "workspace_has_users",
]
