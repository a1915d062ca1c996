"""The `jalur` command: one Typer app that each capability adds its commands to.

Every capability exposes `register_cli(app)` in its public API; this module only wires them
and builds the `Settings` from `--home` / `JALUR_HOME`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from jalur.config import Settings

app = typer.Typer(
    name="jalur",
    help="Counter-terrorist-financing intelligence: lists, screening, monitoring, exchange.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _workspace(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option("--home", help="Workspace directory (default: $JALUR_HOME or ./jalur-home)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            envvar="JALUR_USER",
            help="Act as this user (cases, reports, users); password from $JALUR_PASSWORD.",
        ),
    ] = None,
) -> None:
    """Resolve the workspace once; commands read it (and the acting user) from the context."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    ctx.obj = Settings.resolve(home)
    ctx.meta["jalur.user"] = user  # users.USER_META; read when a command signs in


def _register_capabilities() -> None:
    """Each capability adds its commands, in the order they appear in `jalur --help`."""
    from jalur import cases, exchange, lists, monitoring, screening, transactions, users

    for capability in (users, lists, transactions, screening, monitoring, cases, exchange):
        capability.register_cli(app)
    # wired on top: audit_cli needs the agency key (exchange) and the trail (core);
    # reporting_cli needs the case (cases) and the builder (reporting)
    from jalur import audit_cli, reporting_cli

    reporting_cli.register_cli(app)
    audit_cli.register_cli(app)


_register_capabilities()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
