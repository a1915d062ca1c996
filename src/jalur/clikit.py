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
from jalur.store import Store

console = Console()
err_console = Console(stderr=True)


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        settings = Settings.resolve(None)
    return settings


@contextmanager
def open_store(ctx: typer.Context) -> Iterator[Store]:
    store = Store.open(settings_of(ctx))
    try:
        yield store
    finally:
        store.close()


def print_json(payload: Any) -> None:
    """Machine-readable output on stdout, one JSON document."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=2) + "\n")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error on stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)
