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
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from typer._click.globals import get_current_context  # the Click that Typer runs commands on

from jalur.cells import guard_cell
from jalur.config import ConfigError, Settings
from jalur.scope import own_only
from jalur.store import Store, WorkspaceInUseError, private_files

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # raised by Click itself; named here so the scheme is complete
EXIT_PARTIAL = 3
EXIT_NOTHING_ACCEPTED = 4

#: Piped output is read by scripts and other commands: never wrapped or cut at 80 columns.
_PIPED_WIDTH = 10_000
console = Console(width=None if sys.stdout.isatty() else _PIPED_WIDTH)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else _PIPED_WIDTH)
#: `--json` on every command that reports: the same option, the same help.
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
#: Digits of a score in tables and text; JSON and CSV keep full precision.
SCORE_DIGITS = 3
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
    """The workspace database for one command; files it creates meanwhile are private. A
    command is the installation's own: it sees no payments loaded for other agencies."""
    with private_files():
        settings = settings_of(ctx)
        try:
            store = Store.open(settings)
        except WorkspaceInUseError as exc:
            raise fail(str(exc)) from exc
        except OSError as exc:  # a folder that cannot be made or entered: not a traceback
            raise fail(
                f"workspace {settings.home} cannot be used: {exc.strerror or exc}"
                + (f" ({exc.filename})" if exc.filename else "")
            ) from exc
        try:
            own_only(store)
            yield store
        finally:
            store.close()


#: Characters a value from a file must not send to a terminal: C0 controls but tab and line
#: feed (ESC starts sequences that recolour, move or clear the screen), DEL, the C1 controls
#: (U+009B is a one-character CSI) and the bidirectional overrides and isolates that show
#: what follows reversed (U+202A–U+202E, U+2066–U+2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` with every character a terminal would act on written out as Python writes it
    (`\\x1b`, `\\u202e`): a payment's holder name or a partner's reason is data, and an
    ESC sequence in it reached the analyst's terminal through tables and messages."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def plain(value: object) -> str:
    """A value shown as it is inside a line with Rich markup: a name, a reason or a path may
    hold brackets (`[/x]` from a hostile file would otherwise end the line with a
    MarkupError, and `[open]` would vanish as an unknown style). Control characters are the
    console's to write out (`_InertOutput`), for every line, whoever built it."""
    return escape(str(value))


def print_json(payload: Any) -> None:
    """Machine-readable output on stdout, one JSON document."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=2) + "\n")


def report(as_json: bool, payload: dict[str, Any], text: str) -> None:
    """What a command did: `payload` as JSON for scripts, else `text` for people."""
    if as_json:
        print_json(payload)
    else:
        console.print(escape(text), highlight=False)


def one_of(allowed: Sequence[str]) -> Callable[[str], str]:
    """An option callback: a value outside `allowed` is a usage error (exit 2) named before
    anything runs (a command that found out later exited 1, the code for a thing that does
    not exist)."""

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return check


def warn(message: str) -> None:
    """Something the user should fix that does not stop the command, on stderr."""
    err_console.print(f"[bold yellow]warning:[/] {escape(message)}", highlight=False)


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print a clear error on stderr and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
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


def not_found(what: str, ref: str, hint: str = "") -> typer.Exit:
    """A referenced thing (an entity, alert, account, run…) does not exist: exit 1."""
    return fail(f"no {what} {ref!r}" + (f" ({hint})" if hint else ""))


def score_text(value: float | None) -> str:
    """A score as people read it in a table: `SCORE_DIGITS` decimals (0.996, not 0.99612…);
    a score just under 1 gets one digit more and is cut, not rounded, so it never reads as a
    certain 1.000."""
    if value is None:
        return ""
    text = f"{value:.{SCORE_DIGITS}f}"
    if value < 1 and text == f"{1:.{SCORE_DIGITS}f}":
        digits = SCORE_DIGITS + 1
        return f"{math.floor(value * 10**digits) / 10**digits:.{digits}f}"
    return text


def piped() -> bool:
    """stdout is a file or a pipe: tables become plain tab-separated columns."""
    return not console.is_terminal


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str = "") -> None:
    """A table for people at a terminal; plain tab-separated columns when piped (`_PlainTables`)."""
    table = Table(*columns, title=title or None)
    for row in rows:
        table.add_row(*("" if value is None else escape(str(value)) for value in row))
    console.print(table)


def print_listing(
    as_json: bool, payload: Any, columns: Sequence[str], rows: Iterable[Sequence[str | Text]]
) -> None:
    """What a listing command prints: `payload` as JSON for scripts, else a table of `rows`
    for people (`rows` is only read for the table, so a generator costs nothing under
    `--json`). A str cell is shown as it is, brackets and all — it holds data (a name, a
    reason quoting a partner's file), never markup; a styled cell comes as a `Text`."""
    if as_json:
        print_json(payload)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(cell if isinstance(cell, Text) else escape(cell) for cell in row))
    console.print(table)


def plain_table(table: Table) -> str:
    """A Rich table as tab-separated lines (header first) that cut, awk and spreadsheets
    read, with every cell whole: what piped output gets instead of box drawing.

    `jalur alerts show > alerts.tsv` is opened in a spreadsheet like any CSV jalur writes, so
    each cell is guarded as those are (`jalur.cells`): a holder's name `=HYPERLINK(…)` from a
    payment file reads as text, not as a formula. `--json` is data, and stays as it is."""
    columns = list(table.columns)
    lines = ["\t".join(_plain(column.header) for column in columns)]
    rows = zip(*(column.cells for column in columns), strict=True)  # every column, every row
    lines += ["\t".join(_plain(cell) for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


class _Verbatim:
    """Text written as it is: no tab expansion, wrapping or cropping (unlike `Text`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment(self.text)


def _plain(cell: object) -> str:
    """A cell as one TSV field: guarded first (a leading tab is a trigger), then with the
    characters that would split it into more fields or rows made spaces."""
    if isinstance(cell, Text):
        text = cell.plain
    elif isinstance(cell, str):
        text = Text.from_markup(cell).plain  # as the table would have shown it
    else:
        text = str(cell)
    lines = guard_cell(text).replace("\t", " ").split("\n")
    return " ".join(line for line in lines if line)  # an empty line adds no trailing space


class _PlainTables(RenderHook):
    """Every table any command prints on `console` is plain columns when stdout is piped."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        if not piped():
            return renderables
        return [_Verbatim(plain_table(r)) if isinstance(r, Table) else r for r in renderables]


class _Inert:
    """A renderable as it renders, its text segments `inert`: whatever a command prints
    (a list's place of birth, a partner's reason, a holder's name), however it was
    formatted, cannot act on the terminal. Rich's own control segments pass as they are."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(inert(segment.text), segment.style)


class _InertOutput(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Inert(r) for r in renderables]


console.push_render_hook(_PlainTables())
for _each in (console, err_console):
    _each.push_render_hook(_InertOutput())


def secret(env: str, prompt: str, confirm: bool = False) -> str:
    """A passphrase or password from `$env`, else asked at the terminal; without a terminal
    the error names the variable to set (a bare `Aborted.` tells a script nothing)."""
    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        raise fail(f"{prompt.lower()} needed: set ${env} (there is no terminal to ask at)")
    answer: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return answer


def check_out(path: Path) -> None:
    """Refuse an output path that cannot be written, before any work is done or recorded.

    A command that records what it did (an offer matched is a replay the next time) must not
    find out afterwards that `--out` is a folder or under a file: the result would be lost.
    A missing folder is made.
    """
    if path.is_dir():
        raise fail(f"{path}: cannot write it (a folder); name a file (nothing was done)")
    if kept := _workspace_file(path):
        raise fail(
            f"{path}: cannot write it (the workspace's own {kept}); name a file outside the "
            "workspace or under its artefacts folder (nothing was done)"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"{path}: cannot write it ({exc.strerror or exc}) (nothing was done)") from exc
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise fail(f"{path}: cannot write it (permission denied) (nothing was done)")


def _workspace_file(path: Path) -> str | None:
    """What of the running command's workspace `path` would overwrite, if anything.

    The database files, the store of users, cases and the audit trail, the seals and the
    agency's keys live in the workspace folder: `--out $JALUR_HOME/jalur.sqlite` wrote a list
    export over the audit trail. Inside the workspace a command writes under `artefacts/` or
    beside the workspace's files, never onto a `jalur.*` name (a database's journal too,
    before it exists), the seals or the index, nor into one of its own folders (`agency/`)."""
    context = get_current_context(silent=True)  # the command's: check_out takes only a path
    settings = context.find_root().obj if context else None
    if not isinstance(settings, Settings):
        return None
    home, target = settings.home.resolve(), path.resolve()
    with suppress(ConfigError):
        if target == settings.seals_path.resolve():
            return "audit seals"
    if target == home or not target.is_relative_to(home):
        return None
    if target.is_relative_to(settings.artefacts.resolve()):
        return None
    first = target.relative_to(home).parts[0]
    if first.startswith(("jalur.", "screening-index.")) or first in OWN_NAMES:
        return f"file {first}" if target.parent == home else f"folder {first}"
    return None


#: What jalur keeps in a workspace besides `jalur.*` and `artefacts/`: the audit seals (by
#: default), the screening index and its key (`screening-index.*`), the agency's keys, the API's
#: uploads, the risk models and the stream's state. Any other folder there is the user's own
#: (`demo-home/screening/`), theirs to write into: the names are fixed, not read off the disk.
OWN_NAMES = frozenset({"audit-seals.jsonl", "agency", "uploads", "models", "stream"})
