"""The `jalur` command: one Typer app that each capability adds its commands to.

Every capability exposes `register_cli(app)` in its public API; this module only wires them
and builds the `Settings` from `--home` / `JALUR_HOME`. Exit codes: see `jalur.clikit`.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import PackageNotFoundError, version
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


def _show_version(value: bool) -> None:
    """`jalur --version`: the installed package's version, for bug reports and scripts."""
    if not value:
        return
    try:
        found = version("jalur")
    except PackageNotFoundError:  # run from a source tree that was never installed
        found = "unknown (not installed)"
    typer.echo(f"jalur {found}")
    raise typer.Exit()


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
    _version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Print the version and exit."
        ),
    ] = False,
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
    from jalur import risk  # per-account risk reads monitoring, screening and cases

    risk.register_cli(app)
    from jalur import stream  # real time: the decision path per payment (HTTP and NATS)

    stream.register_cli(app)
    from jalur import api  # the service, above every capability

    api.register_cli(app)


_register_capabilities()


def hoist_home(args: list[str]) -> list[str]:
    """Move every `--home DIR` / `--home=DIR` to the front, where the root command reads it.

    `--home` belongs to `jalur` itself, but users write it after the subcommand too
    (`jalur lists show --home DIR`); Click would refuse that as an unknown option. Arguments
    after `--` are left alone."""
    end = args.index("--") if "--" in args else len(args)
    moved: list[str] = []
    rest: list[str] = []
    i = 0
    while i < end:
        token = args[i]
        if token == "--home" and i + 1 < end:
            moved += args[i : i + 2]
            i += 2
            continue
        (moved if token.startswith("--home=") else rest).append(token)
        i += 1
    return [*moved, *rest, *args[end:]]


def main() -> None:
    app(args=hoist_home(sys.argv[1:]), prog_name="jalur")


if __name__ == "__main__":
    main()
