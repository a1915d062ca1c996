"""Who may do what: the four roles and their rights, as data (no database, no I/O).

`analyst` works cases, `supervisor` also approves (the second pair of eyes), `admin` manages users
and settings, `auditor` reads everything (cases, the audit trail) and changes nothing.
"""

from __future__ import annotations

ANALYST, SUPERVISOR, ADMIN, AUDITOR = "analyst", "supervisor", "admin", "auditor"
ROLES = (ANALYST, SUPERVISOR, ADMIN, AUDITOR)

READ_CASES = "read cases"
WORK_CASES = "work cases"
APPROVE_CASES = "approve cases"
MANAGE_USERS = "manage users"
READ_AUDIT = "read the audit trail"
SEAL_AUDIT = "seal the audit trail"

RIGHTS: dict[str, frozenset[str]] = {
    ANALYST: frozenset({READ_CASES, WORK_CASES}),
    SUPERVISOR: frozenset({READ_CASES, WORK_CASES, APPROVE_CASES, READ_AUDIT, SEAL_AUDIT}),
    ADMIN: frozenset({MANAGE_USERS, READ_AUDIT, SEAL_AUDIT}),
    AUDITOR: frozenset({READ_CASES, READ_AUDIT}),
}


def may(role: str, right: str) -> bool:
    return right in RIGHTS.get(role, frozenset())


def check_role(role: str) -> str:
    """The role when it is one of the four, else a ValueError listing them."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role
