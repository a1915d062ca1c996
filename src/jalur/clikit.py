"""Small helpers every capability's commands share: settings, JSON output, clean errors.

Exit codes, the same in every command, so that scripts can tell what happened:

====  =======================  ==========================================================
code  name                     meaning
====  =======================  ==========================================================
0     EXIT_OK                  done; every input row went in (or was a known duplicate)
1     EXIT_ERROR               nothing done: a referenced thing does not exist, a file
                               cannot be read, a refusal
2     EXIT_USAGE               the command line is wrong (Typer/Click's own usage error)
3     EXIT_PARTIAL             done, but some input rows were rejected (each one named)
4     EXIT_NOTHING_ACCEPTED    every input row was rejected: nothing went in
====  =======================  ==========================================================
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jalur.config import Settings
from jalur.store import Store, WorkspaceInUseError, private_files

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # raised by Click itself; named here so the scheme is complete
EXIT_PARTIAL = 3
EXIT_NOTHING_ACCEPTED = 4

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


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print a clear error on stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def rows_exit_code(read: int, rejected: int) -> int:
    """The exit code of a command that takes input rows: a script must see rejections.

    Duplicates are not rejections (the row is already in), so `read > rejected` with no
    accepted rows is still a partial success, not nothing accepted."""
    if not rejected:
        return EXIT_OK
    return EXIT_NOTHING_ACCEPTED if rejected >= read else EXIT_PARTIAL


def exit_for_rows(read: int, rejected: int) -> None:
    """End the command with `rows_exit_code` once its report is printed (no-op on success)."""
    code = rows_exit_code(read, rejected)
    if code != EXIT_OK:
        raise typer.Exit(code)


def progress_bar(hidden: bool = False) -> Progress:
    """A progress bar with totals for a long command, on stderr and on a terminal only.

    Piped or redirected output (a script, a log file) and `hidden` (`--json`) get no bar:
    stdout stays the command's result, and a log does not fill with frames.
    """
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=hidden or not err_console.is_terminal,
    )


@contextmanager
def stage_progress(
    total: int, first: str = "starting", hidden: bool = False
) -> Iterator[Callable[[str], None]]:
    """A bar over the `total` named stages of a command; call the hook as each stage begins."""
    with progress_bar(hidden) as bar:
        task = bar.add_task(first, total=total)
        begun = 0

        def begin(name: str) -> None:
            nonlocal begun
            bar.update(task, description=name, completed=begun)
            begun += 1

        yield begin
        bar.update(task, completed=total)
