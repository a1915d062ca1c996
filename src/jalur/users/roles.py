"""Who may do what: the roles and their rights, as data (no database, no I/O).

`analyst` works cases, `supervisor` also approves (the second pair of eyes), `admin` manages users
and settings, `auditor` reads everything (cases, the audit trail) and changes nothing. `client` is
a machine (a bank's system calling the service with an API key): it screens names, nothing else.
"""

from __future__ import annotations

ANALYST, SUPERVISOR, ADMIN, AUDITOR = "analyst", "supervisor", "admin", "auditor"
CLIENT = "client"
ROLES = (ANALYST, SUPERVISOR, ADMIN, AUDITOR, CLIENT)

READ_CASES = "read cases"
WORK_CASES = "work cases"
APPROVE_CASES = "approve cases"
MANAGE_USERS = "manage users"
READ_AUDIT = "read the audit trail"
SEAL_AUDIT = "seal the audit trail"
READ_DATA = "read lists, entities and alerts"
SCREEN = "screen names"
LOAD_DATA = "load data and run monitoring"

_WORK = {READ_CASES, WORK_CASES, READ_DATA, SCREEN, LOAD_DATA}
RIGHTS: dict[str, frozenset[str]] = {
    ANALYST: frozenset(_WORK),
    SUPERVISOR: frozenset({*_WORK, APPROVE_CASES, READ_AUDIT, SEAL_AUDIT}),
    ADMIN: frozenset({MANAGE_USERS, READ_AUDIT, SEAL_AUDIT}),
    AUDITOR: frozenset({READ_CASES, READ_AUDIT, READ_DATA}),
    CLIENT: frozenset({SCREEN}),
}


def may(role: str, right: str) -> bool:
    return right in RIGHTS.get(role, frozenset())


def check_role(role: str) -> str:
    """The role when it is one of ROLES, else a ValueError listing them."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role
