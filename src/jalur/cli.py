"""The `jalur` command: one Typer app that each capability adds its commands to.

Every capability exposes `register_cli(app)` in its public API; this module only wires them
and builds the `Settings` from `--home` / `JALUR_HOME`. Exit codes: see `jalur.clikit`.

A capability is imported when one of its commands is run (or the command list is asked for):
`jalur screen name` loads screening only, not DuckDB's transaction readers, numba's PPRL or
SQLAlchemy's case store, which together cost a cold start seconds.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys
from collections.abc import Iterable, MutableMapping, Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from jalur.clikit import fail, inert
from jalur.config import ConfigError, Settings

#: Each capability's module (its `register_cli`) and the top-level commands it adds, in the
#: order of `jalur --help`. audit_cli needs the agency key (exchange) and the trail (core);
#: reporting_cli needs the case (cases) and the builder (reporting): they are wired on top.
CAPABILITIES: dict[str, tuple[str, ...]] = {
    "jalur.users": ("users",),
    "jalur.lists": ("lists",),
    "jalur.transactions": ("tx", "generate"),
    "jalur.screening": ("screen", "entities"),
    "jalur.monitoring": ("monitor", "accounts", "alerts", "trace"),
    "jalur.cases": ("cases",),
    "jalur.exchange": ("agency", "exchange"),
    "jalur.reporting_cli": ("report",),
    "jalur.audit_cli": ("audit",),
    "jalur.risk": ("model",),  # per-account risk reads monitoring, screening and cases
    "jalur.stream": ("stream",),  # real time: the decision path per payment (HTTP and NATS)
    "jalur.api": ("serve",),  # the service, above every capability
}
_MODULE_OF = {name: module for module, names in CAPABILITIES.items() for name in names}


@cache
def _commands_of(module: str) -> dict[str, Any]:
    """The Click commands a capability's `register_cli` adds (made once per process)."""
    capability = importlib.import_module(module)
    holder = typer.Typer()
    holder.callback()(lambda: None)  # a group, however few commands it gets
    capability.register_cli(holder)
    if module == "jalur.monitoring":  # alerts show says which cases hold an alert
        capability.read_cases_with(_alert_cases)
    commands = dict(typer.main.get_command(holder).commands)  # type: ignore[attr-defined]
    for command in commands.values():
        _reflow_help(command)
    return commands


def _alert_cases(ctx: typer.Context, alert_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The cases holding each alert (as evidence, or decided with a disposition), with the
    case's status and the alert's label: monitoring sits below cases and cannot ask them, so
    the command line joins the two (`jalur.monitoring.read_cases_with`)."""
    from jalur.cases import case_details, list_cases
    from jalur.sqlstore import database_url, open_database
    from jalur.store import private_files

    wanted, found = set(alert_ids), dict[str, list[dict[str, Any]]]()
    settings = ctx.find_root().obj
    url = database_url(settings)
    if not wanted or (url.get_backend_name() == "sqlite" and not Path(url.database or "").exists()):
        return {}  # no case store yet: a look at the alerts does not make one
    with private_files():
        engine = open_database(settings)  # an error is the reader's warning, not the command's
    try:
        for case in list_cases(engine):
            details = case_details(engine, case["case_id"]) or {}
            labels = {d["alert_id"]: d["label"] for d in details.get("dispositions", [])}
            cited = {e["ref"] for e in details.get("evidence", [])
                     if e["kind"] == "alert" and e["removed_at"] is None}  # fmt: skip
            for alert_id in sorted((cited | set(labels)) & wanted):
                found.setdefault(alert_id, []).append(
                    {"case_id": case["case_id"], "status": case["status"],
                     "disposition": labels.get(alert_id)}
                )  # fmt: skip
    finally:
        engine.dispose()
    return found


def _reflow_help(command: Any) -> None:
    """A command's help (and its subcommands') as paragraphs that wrap at the terminal.

    A docstring's lines break where the source does (about 95 columns); Typer keeps those
    breaks after the first paragraph, so at 80 columns each line wrapped on its own and left
    one or two words alone on the next (`…the name` / `is` / `screened…`). A paragraph
    starting with `\b` keeps its lines, as in Click."""
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(
            p if p.startswith("\b") else " ".join(p.split("\n")) for p in paragraphs
        )
    for sub in getattr(command, "commands", {}).values():
        _reflow_help(sub)


class _CapabilityGroup(TyperGroup):
    """The root command group: a capability's commands are made when first needed."""

    def __init__(self, **attrs: Any) -> None:
        self._loaded: dict[str, Any] = {}
        super().__init__(**attrs)

    @property
    def commands(self) -> MutableMapping[str, Any]:
        """Every command (for help, completion and the docs test), in `CAPABILITIES` order."""
        self._load(CAPABILITIES)
        return self._loaded

    @commands.setter
    def commands(self, value: MutableMapping[str, Any]) -> None:
        self._loaded.update(value)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = _MODULE_OF.get(cmd_name)
        self._load([module] if module else CAPABILITIES)  # an unknown name: look everywhere
        return self._loaded.get(cmd_name)

    def _load(self, modules: Iterable[str]) -> None:
        for module in modules:
            for name, command in _commands_of(module).items():
                self._loaded.setdefault(name, command)
        # as Typer lists them: single commands first, then groups, each in registration order
        known = [n for names in CAPABILITIES.values() for n in names if n in self._loaded]
        order = known + [n for n in self._loaded if n not in known]
        order.sort(key=lambda n: isinstance(self._loaded[n], TyperGroup))
        self._loaded = {n: self._loaded[n] for n in order}


app = typer.Typer(
    cls=_CapabilityGroup,
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


def _named_home(value: str | None) -> str | None:
    """`--home ""` (an unset variable in `--home "$WS"`) is a usage error: as a path it is
    the current folder, which became the workspace (and was advised `chmod 700`)."""
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty: name the workspace folder")
    return value


def _home_problem(home: Path) -> str | None:
    """Why `home` cannot be a workspace folder, checked before anything is made in it or
    advised about it: it, or the nearest of its parents that exists, is not a folder."""
    existing = next((p for p in (home, *home.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"{existing} is not a folder"
    return None


@app.callback()
def _workspace(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            help="Workspace directory (default: $JALUR_HOME or ./jalur-home).",
            callback=_named_home,
        ),
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
    if not logging.getLogger().handlers:  # as basicConfig: a host's own logging stays
        stderr = logging.StreamHandler()
        stderr.setFormatter(_LogLine())
        logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[stderr])
    try:
        ctx.obj = Settings.resolve(home)
    except ConfigError as exc:  # a jalur.toml that is not TOML: one line, not a traceback
        raise fail(str(exc)) from exc
    if problem := _home_problem(ctx.obj.home):
        raise fail(f"workspace {ctx.obj.home} cannot be used: {problem}")
    ctx.meta["jalur.user"] = user  # users.USER_META; read when a command signs in


class _LogLine(logging.Formatter):
    """A capability's warning as the commands' own warnings read (`warning: …`), made inert:
    Python's default `WARNING:jalur.lists.load:…` showed the module, not the message, first,
    and a list's value in a message reached the terminal raw."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {inert(record.getMessage())}"


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
        if token == "--home" and i + 1 == end:  # its folder forgotten: say that, not "no such
            return [token]  # option" (the rest would be taken as the folder)
        if token == "--home":
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
