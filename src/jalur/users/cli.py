"""`jalur users …`, and signing in: who acts in a command that changes cases or reports.

The acting user comes from the global `--user NAME` (or `JALUR_USER`); the password from
`JALUR_PASSWORD` in scripts, else the terminal asks. A new user's password comes from
`JALUR_NEW_PASSWORD`, else the terminal asks twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jalur.canonical import utcnow
from jalur.clikit import JsonFlag, console, fail, print_json, print_listing, secret, settings_of
from jalur.config import ConfigError
from jalur.sqlstore import open_database
from jalur.store import private_files
from jalur.users.clearance import CLASSIFICATIONS
from jalur.users.roles import ADMIN, CLIENT, MANAGE_USERS, ROLES
from jalur.users.service import (
    AccessError,
    User,
    UserError,
    add_user,
    disable_user,
    enable_user,
    require,
    sign_in,
    users_managed_by,
    workspace_has_users,
)
from jalur.users.sessions import api_keys_managed_by, create_api_key, revoke_api_key

USER_META = "jalur.user"
PASSWORD_ENV, NEW_PASSWORD_ENV = "JALUR_PASSWORD", "JALUR_NEW_PASSWORD"
users_app = typer.Typer(help="Local users and their roles (analyst, supervisor, admin, auditor).")


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
    agency: Annotated[
        str | None, typer.Option("--agency", help="Agency code (default: the admin's).")
    ] = None,
    clearance: Annotated[
        str | None, typer.Option("--clearance", help=f"One of {', '.join(CLASSIFICATIONS)}.")
    ] = None,
    caveat: Annotated[
        list[str] | None, typer.Option("--caveat", help="A handling caveat held (e.g. EGMONT).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a user; the first user of an empty workspace is added without signing in (admin)."""
    with open_sql(ctx) as engine:
        actor = None
        if workspace_has_users(engine):
            actor = signed_in(ctx, engine, MANAGE_USERS, f"add user {name}")
        password = secret(NEW_PASSWORD_ENV, f"Password for {name}", confirm=True)
        try:
            user = add_user(engine, actor, name, role, password, agency, clearance, caveat or ())
        except (UserError, AccessError) as exc:
            raise fail(f"{exc} (no user was added)") from exc
    if as_json:
        print_json(user.__dict__)
        return
    console.print(
        f"added {user.name} ({user.role}, {user.agency}, cleared {user.clearance})", markup=False
    )


@users_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Users, their roles and whether they are disabled (an admin signs in: their agency's users,
    every agency's for an admin of the installation's own agency)."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, "list users")
        found = users_managed_by(engine, actor)
    print_listing(
        as_json,
        [u.__dict__ for u in found],
        ("name", "role", "agency", "disabled", "created"),
        (
            (u.name, u.role, u.agency or "", "yes" if u.disabled else "", u.created_at)
            for u in found
        ),
    )


@users_app.command("disable")
def disable_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user to disable.")],
    as_json: JsonFlag = False,
) -> None:
    """Disable a user: they can no longer sign in and their tokens stop working (`users
    enable` undoes it; they sign in afresh); their past actions stay theirs."""
    _switch(ctx, name, as_json, "disable", disable_user)


@users_app.command("enable")
def enable_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The disabled user to enable again.")],
    as_json: JsonFlag = False,
) -> None:
    """Enable a disabled user again (they sign in afresh; tokens from before stay revoked)."""
    _switch(ctx, name, as_json, "enable", enable_user)


def _switch(
    ctx: typer.Context,
    name: str,
    as_json: bool,
    verb: str,
    change: Callable[[Engine, User, str], object],
) -> None:
    """`users disable` and `users enable`: the same right, the same refusals, said alike."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, f"{verb} user {name}")
        try:
            change(engine, actor, name)
        except (UserError, AccessError) as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json({f"{verb}d": name})
        return
    console.print(f"{verb}d {name}", markup=False)


keys_app = typer.Typer(help="API keys for machine clients (a bank's screening system).")
users_app.add_typer(keys_app, name="key")


@keys_app.command("create")
def key_create_command(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="Who uses the key, e.g. 'bank-x screening'.")],
    role: Annotated[
        str, typer.Option("--role", help=f"One of {', '.join(r for r in ROLES if r != ADMIN)}.")
    ] = CLIENT,
    agency: Annotated[
        str | None, typer.Option("--agency", help="Agency code (default: the admin's).")
    ] = None,
    clearance: Annotated[str | None, typer.Option("--clearance")] = None,
    caveat: Annotated[list[str] | None, typer.Option("--caveat")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Expires after DAYS.", min=1)] = None,
) -> None:
    """Create an API key (an admin signs in); the key is printed once and never again."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, f"create API key {label!r}")
        try:
            issued = create_api_key(
                engine, actor, label, utcnow(), role=role, agency=agency,
                clearance=clearance, caveats=caveat or (), ttl_days=days,
            )  # fmt: skip
        except (UserError, AccessError) as exc:
            raise fail(f"{exc} (no key was created)") from exc
    console.print(
        f"API key {issued.key_id} (expires {issued.expires_at or 'never'}):", markup=False
    )
    typer.echo(issued.secret)


@keys_app.command("revoke")
def key_revoke_command(ctx: typer.Context, key_id: str) -> None:
    """Revoke an API key by id: it stops working at once."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, f"revoke API key {key_id}")
        try:
            revoke_api_key(engine, actor, key_id, utcnow())
        except (UserError, AccessError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"revoked {key_id}", markup=False)


@keys_app.command("list")
def key_list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """API keys (never their secrets): id, label, role, agency, expiry, revocation (an admin
    signs in: their agency's keys, every agency's for an admin of the installation's own)."""
    with open_sql(ctx) as engine:
        actor = signed_in(ctx, engine, MANAGE_USERS, "list API keys")
        found = api_keys_managed_by(engine, actor)
    print_listing(
        as_json,
        found,
        ("id", "label", "role", "agency", "expires", "revoked"),
        ((k["id"], k["label"], k["role"], k["agency"], k["expires_at"] or "",
          k["revoked_at"] or "") for k in found),
    )  # fmt: skip
