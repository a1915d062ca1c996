"""Small helpers every capability's commands share: settings, JSON output, clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from jalur.config import Settings
from jalur.store import Store, WorkspaceInUseError, private_files

console = Console()
err_console = Console(stderr=True)
_EXPOSURE_CHECKED = "jalur.exposure-checked"


def settings_of(ctx: typer.Context) -> Settings:
    """The workspace of this command; warns once per command when others can read it."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        settings = Settings.resolve(None)
    if not ctx.meta.get(_EXPOSURE_CHECKED):  # meta is shared by the whole command's contexts
        ctx.meta[_EXPOSURE_CHECKED] = True
        exposed = settings.exposure()
        if exposed:
            warn(
                "the workspace holds RESTRICTED data but other users can read it; "
                "jalur leaves existing permissions alone, fix them with:\n  " + "\n  ".join(exposed)
            )
    return settings


@contextmanager
def open_store(ctx: typer.Context) -> Iterator[Store]:
    """The workspace database for one command; files it creates meanwhile are private."""
    with private_files():
        try:
            store = Store.open(settings_of(ctx))
        except WorkspaceInUseError as exc:
            raise fail(str(exc)) from exc
        try:
            yield store
        finally:
            store.close()


def print_json(payload: Any) -> None:
    """Machine-readable output on stdout, one JSON document."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=2) + "\n")


def warn(message: str) -> None:
    """Something the user should fix that does not stop the command, on stderr."""
    err_console.print(f"[bold yellow]warning:[/] {message}", highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error on stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)
