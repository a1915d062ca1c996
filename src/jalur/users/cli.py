"""`jalur users …`, and signing in: who acts in a command that changes cases or reports.

The acting user comes from the global `--user NAME` (or `JALUR_USER`); the password from
`JALUR_PASSWORD` in scripts, else the terminal asks. A new user's password comes from
`JALUR_NEW_PASSWORD`, else the terminal asks twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jalur.clikit import console, fail, print_json, secret, settings_of
from jalur.config import ConfigError
from jalur.sqlstore import open_database
from jalur.store import private_files
from jalur.users.roles import MANAGE_USERS, ROLES
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

USER_META = "jalur.user"
PASSWORD_ENV, NEW_PASSWORD_ENV = "JALUR_PASSWORD", "JALUR_NEW_PASSWORD"
users_app = typer.Typer(help="Local users and their roles (analyst, supervisor, admin, auditor).")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@contextmanager
def open_sql(ctx: typer.Context) -> Iterator[Engine]:
    """The workspace's transactional store for one command (created private, migrated)."""
    with private_files():
        try:
            engine = open_database(settings_of(ctx))
        except (ConfigError, SQLAlchemyError) as exc:
            raise fail(f"the workspace database cannot be opened: {exc}") from exc
        try:
            yield engine
        finally:
            engine.dispose()


def signed_in(ctx: typer.Context, engine: Engine, right: str, action: str) -> User:
    """The user named by --user / JALUR_USER, signed in and holding `right`, or a clean exit."""
    name = ctx.meta.get(USER_META)
    try:
        if not name:
            return require(engine, None, right, action)
        password = secret(PASSWORD_ENV, f"Password for {name}")
        return require(engine, sign_in(engine, name, password), right, action)
    except AccessError as exc:
        raise fail(str(exc)) from exc


@users_app.command("add")
def add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code.")] = None,
) -> None:
    """Add a user; the first user of an empty workspace is added without signing in (admin)."""
    with open_sql(ctx) as engine:
        actor = None
        if workspace_has_users(engine):
            actor = signed_in(ctx, engine, MANAGE_USERS, f"add user {name}")
        password = secret(NEW_PASSWORD_ENV, f"Password for {name}", confirm=True)
        try:
            user = add_user(engine, actor, name, role, password, agency)
        except (UserError, AccessError) as exc:
            raise fail(f"{exc} (no user was added)") from exc
    console.print(f"added {user.name} ({user.role})")


@users_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Users, their roles and whether they are disabled."""
    with open_sql(ctx) as engine:
        found = list_users(engine)
    if as_json:
        print_json([u.__dict__ for u in found])
        return
    table = Table("name", "role", "agency", "disabled", "created")
    for u in found:
        table.add_row(u.name, u.role, u.agency or "", "yes" if u.disabled else "", u.created_at)
    console.print(table)


@users_app.command("disable")
def disable_command(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The user to disable.")]
) -> None:
    """Disable a user (they can no longer sign in; their past actions stay theirs)."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, f"disable user {name}")
        try:
            disable_user(engine, actor, name)
        except (UserError, AccessError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"disabled {name}")
