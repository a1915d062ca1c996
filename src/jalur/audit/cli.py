"""Recording a capability command in the workspace trail, from that command's CLI layer.

List loads, screening and monitoring runs, payment loads and exchange packages keep their data
in DuckDB, yet what was done belongs in the one workspace trail. Their commands call
`record_cli` once the work is done, so the core functions stay pure and the trail sees
everything. These commands do not sign in (batch jobs run them unattended): the entry names
the user given with `--user` / `JALUR_USER`, else the operating-system login, and says in its
details where the name came from and that it was not verified (`"signed_in": false`). Commands
that do sign in (cases, exchange of a case) pass the verified user instead.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from typing import Any

import typer
from sqlalchemy.exc import SQLAlchemyError

from jalur.audit.trail import AuditEntry, AuditError, append
from jalur.clikit import fail, settings_of
from jalur.config import ConfigError
from jalur.sqlstore import open_database
from jalur.store import private_files

#: Where `jalur.cli` keeps the global `--user` / `JALUR_USER` (the same key as users.USER_META).
USER_META = "jalur.user"


def acting_user(ctx: typer.Context) -> tuple[str, str]:
    """Who runs the command, unverified, and where that name came from."""
    given = ctx.meta.get(USER_META)
    if isinstance(given, str) and given.strip():
        from_env = os.environ.get("JALUR_USER", "").strip() == given.strip()
        return given.strip(), "JALUR_USER" if from_env else "--user"
    return getpass.getuser(), "os login"


def record_cli(
    ctx: typer.Context,
    action: str,
    obj: str | None,
    details: Mapping[str, Any] | None = None,
    *,
    signed_in_as: str | None = None,
    claimed: tuple[str, str] | None = None,
) -> AuditEntry:
    """Append one entry for a command that changed or disclosed data; a clean exit on failure.

    The work is already done when this runs, so a trail that cannot take the entry is an
    error that says so (the command exits non-zero and names what was not recorded).
    `claimed` is a (name, source) the command resolved itself (`screen clear --user`).
    """
    acting: dict[str, Any]
    if signed_in_as is not None:
        user, acting = signed_in_as, {"signed_in": True}
    else:
        user, source = claimed or acting_user(ctx)
        acting = {"signed_in": False, "user_source": source}
    body = {**dict(details or {}), **acting}
    try:
        with private_files():
            engine = open_database(settings_of(ctx))
        try:
            with engine.begin() as con:
                return append(con, user, action, obj, body)
        finally:
            engine.dispose()
    except (AuditError, ConfigError, SQLAlchemyError, OSError) as exc:
        raise fail(
            f"{action} {obj or ''} was done, but the audit trail could not record it: {exc}"
        ) from exc
