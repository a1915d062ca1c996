"""`jalur lists …`: load, show, diff and export watchlists."""

from __future__ import annotations

import contextlib
import json
import sys
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from jalur.audit import record_cli
from jalur.clikit import (
    JsonFlag,
    check_out,
    console,
    fail,
    one_of,
    open_store,
    plain,
    print_json,
    print_listing,
    settings_of,
    stage_progress,
)
from jalur.config import ConfigError
from jalur.inputs import path_text
from jalur.lists.diff import CHANGES, Change, ListDiff, ListDiffError, diff_versions
from jalur.lists.errors import ListLoadError
from jalur.lists.fetch import fetch_list, resolve_source
from jalur.lists.formats import PARSERS, ParseOptions
from jalur.lists.load import LOAD_STAGES, load_list
from jalur.lists.onward import ListMark, OnwardCheck, OnwardRefusedError, Released
from jalur.lists.store import current_entities, current_entity_data, current_versions
from jalur.lists.summary import list_summaries
from jalur.store import Store

AllowRemovals = Annotated[
    bool,
    typer.Option(
        "--allow-removals",
        help="Load a version that removes more than a quarter (and over 50) of the list's entries.",
    ),
]

lists_app = typer.Typer(
    help="Terrorist and sanctions lists: load, fetch, show, diff, export.", no_args_is_help=True
)


def _known_format(value: str | None) -> str | None:
    """--format, checked before anything runs: an unknown one is a usage error (exit 2)."""
    return None if value is None else one_of(sorted(PARSERS))(value)


@lists_app.command("load")
def load_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="List file (or OFAC CSV folder).")],
    format: Annotated[
        str | None,
        typer.Option("--format", help="un|ofac|ofac-csv|eu|uk|ftm|csv", callback=_known_format),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="Column mapping for csv: a YAML file or dttot|rosfin|template."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="List name (for national lists).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Override a wrong declared encoding.")
    ] = None,
    allow_removals: AllowRemovals = False,
    as_json: JsonFlag = False,
) -> None:
    """Load one list file as a new version of its list and record the delta.

    A version that would remove more than a quarter of the list (and over 50 entries), as a
    file cut short does, is refused unless --allow-removals.
    """
    options = ParseOptions(list_name=name, mapping=mapping, encoding=encoding)
    with open_store(ctx) as store:
        try:
            with stage_progress(LOAD_STAGES, hidden=as_json) as on_stage:
                report = load_list(
                    store, path, format, options, on_stage=on_stage, allow_removals=allow_removals
                )
        except ListLoadError as exc:
            raise fail(f"{exc} (nothing was loaded)") from exc
    record_cli(
        ctx,
        "lists.load",
        report.list,
        {**report.as_dict(), "file": path_text(path), "allow_removals": allow_removals},
    )
    _report(report.as_dict(), as_json, allow_removals)


def _report(report: dict[str, object], as_json: bool, allow_removals: bool = False) -> None:
    if as_json:
        print_json(report)
        return
    if report.get("unchanged"):
        console.print(
            f"[bold]{plain(report['list'])}[/] version {report['version']} unchanged: "
            f"the same file as loaded before ({report['entities']} entries); no new version",
            highlight=False,
            soft_wrap=True,
        )
        return
    console.print(
        f"[bold]{plain(report['list'])}[/] version {report['version']}: {report['entities']} "
        f"entries (+{report['added']} −{report['removed']} ~{report['changed']})"
        + (
            f"; {report['duplicates']} duplicate records merged" if report.get("duplicates") else ""
        ),
        soft_wrap=True,
    )
    if allow_removals and report["removed"]:
        console.print(
            f"{report['removed']} entries removed from {plain(report['list'])}"
            " (--allow-removals): they are no longer screened",
            highlight=False,
            soft_wrap=True,
        )


@lists_app.command("fetch")
def fetch_command(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="List name: un-sc, ofac-sdn, ofac-cons, eu-fsf, uk-ofsi…")
    ],
    url: Annotated[str | None, typer.Option("--url", help="Download from here instead.")] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Override a wrong declared encoding.")
    ] = None,
    allow_removals: AllowRemovals = False,
    as_json: JsonFlag = False,
) -> None:
    """Download list NAME from its official address (or --url) and load it as a new version."""
    settings = settings_of(ctx)
    try:
        configured = settings.section("lists").get("sources", {})
        source = resolve_source(name, configured, url)
        with open_store(ctx) as store, console.status(f"fetching {source.url}", spinner="dots"):
            report = fetch_list(
                store,
                source,
                settings.artefacts / "lists",
                encoding=encoding,
                allow_removals=allow_removals,
            )
    except (ListLoadError, ConfigError) as exc:
        raise fail(f"{exc} (nothing was loaded)") from exc
    record_cli(
        ctx,
        "lists.fetch",
        report.list,
        {**report.as_dict(), "url": source.url, "allow_removals": allow_removals},
    )
    _report({**report.as_dict(), "url": source.url}, as_json, allow_removals)


@lists_app.command("show")
def show_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Each list with its current version and counts by schema and topic."""
    with open_store(ctx) as store:
        summaries = list_summaries(store)
    print_listing(
        as_json,
        summaries,
        ("list", "version", "entries", "by schema / topic"),
        (_summary_cells(item) for item in summaries),
    )


def _summary_cells(item: dict[str, Any]) -> tuple[str | Text, ...]:
    published = f"\npublished {item['published']}" if item["published"] else ""
    return (
        Text(item["list"], style="bold"),
        f"{item['version']}{published}",
        str(item["entities"]),
        Text.assemble(_counts(item["schemata"]), "\n", (_counts(item["topics"]), "dim")),
    )


@lists_app.command("diff")
def diff_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="List name (see `jalur lists show`).")],
    older: Annotated[
        int | None,
        typer.Option("--from", help="Older version number (default: the one before --to)."),
    ] = None,
    newer: Annotated[
        int | None, typer.Option("--to", help="Newer version number (default: the newest).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Show at most this many of each change.")
    ] = 20,
    show_all: Annotated[bool, typer.Option("--all", help="Show every change.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """What version --to of list NAME added, removed and changed since version --from.

    Counts are always complete; names are shown up to --limit of each kind (or --all), and
    the output says how many were left out.
    """
    with open_store(ctx) as store:
        try:
            diff = diff_versions(store, name, older, newer, None if show_all else limit)
        except ListDiffError as exc:
            loaded = ", ".join(v.list_name for v in current_versions(store)) or "none"
            raise fail(f"{exc} (loaded lists: {loaded})") from exc
    if as_json:
        print_json(diff.as_dict())
        return
    _print_diff(diff)


def _print_diff(diff: ListDiff) -> None:
    older = f"version {diff.older.version}" if diff.older else "nothing"
    counts = ", ".join(f"{diff.counts[c]} {c}" for c in CHANGES)
    console.print(
        f"[bold]{plain(diff.list_name)}[/] {older} → version {diff.newer.version}: {counts}",
        highlight=False,
        soft_wrap=True,
    )
    for change in CHANGES:
        shown = diff.entries[change]
        if not diff.counts[change]:
            continue
        console.print(f"[bold]{plain(change)}[/] ({plain(diff.counts[change])}):", highlight=False)
        for entry in shown:
            console.print(f"  {_entry_line(entry)}", highlight=False, soft_wrap=True, markup=False)
        left = diff.counts[change] - len(shown)
        if left:
            console.print(
                f"  … {left} more {change} not shown (--limit N or --all to see them)",
                highlight=False,
                soft_wrap=True,
                markup=False,
            )


#: Bidirectional embeddings, overrides and isolates: U+202E makes a terminal show what follows
#: reversed, so one listed name can display as another.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _inert(value: str) -> str:
    """A value from a list file as a terminal should show it: control characters and bidi
    overrides written as escapes, so it can neither redraw nor reorder the diff around it."""
    return "".join(
        ch.encode("unicode_escape").decode() if unicodedata.category(ch) == "Cc" or ch in _BIDI
        else ch
        for ch in value
    )  # fmt: skip


def _entry_line(entry: Change) -> str:
    caption = _inert(entry.caption) if entry.caption else "(no name)"
    line = f"{_inert(entry.entity_id)}  {caption}  [{entry.schema}]"
    if entry.before:
        line += f"  (was {_inert(entry.before)})"
    if entry.fields:
        line += f"  changed: {', '.join(entry.fields)}"
    return line


@lists_app.command("export")
def export_command(
    ctx: typer.Context,
    format: Annotated[
        str, typer.Option("--format", help="Only 'ftm' (JSON lines).", callback=one_of(["ftm"]))
    ] = "ftm",
    out: Annotated[Path | None, typer.Option("--out", help="File (default: stdout).")] = None,
    names: Annotated[
        list[str] | None,
        typer.Option("--list", help="Export only this list (repeatable; default: every list)."),
    ] = None,
    consent: Annotated[
        list[str] | None,
        typer.Option(
            "--consent",
            help="ORG=TEXT: that originator's consent to pass on what it sent, one per "
            "originator; a plain TEXT for a list marked EGMONT or NO-ONWARD, or when the "
            "received data has one originator (repeatable; recorded in the audit trail).",
        ),
    ] = None,
) -> None:
    """Current entities of every list (or each --list) as FollowTheMoney JSON lines.

    A list another agency loaded through the service is refused; a list marked EGMONT or
    NO-ONWARD, and a partner's data received through `exchange import`, leave only with the
    originator's --consent, as `exchange export` sends them (Egmont: no onward dissemination
    without prior consent). Nothing is written when one is refused.
    """
    if out:
        check_out(out)
    with open_store(ctx) as store:
        chosen = _chosen_lists(store, names)
        released = _released(ctx, store, chosen, consent or [])
        handle = _out(out) if out else sys.stdout
        count = 0
        details: dict[str, Any] = {"lists": chosen or "all", **released.as_dict()}
        target = path_text(out) if out else "stdout"
        try:
            for entity in current_entities(store, chosen):
                handle.write(json.dumps(entity.to_dict(), ensure_ascii=False) + "\n")
                count += 1
            if out:
                handle.close()
        except OSError as exc:  # a full disk, a closed pipe: what left is still disclosed
            stopped = exc.strerror or str(exc)
            record_cli(ctx, "lists.export", target,
                       {"entities": count, **details, "interrupted": stopped})  # fmt: skip
            if not out:
                raise  # a closed pipe (`| head`): Click's own quiet exit 1
            raise fail(f"{out}: writing stopped ({stopped}); {_cut_short(out, handle)}") from exc
    record_cli(ctx, "lists.export", target, {"entities": count, **details})


def _cut_short(out: Path, handle: Any) -> str:
    """An export file that could not be written whole is removed (a file is not taken for
    the whole list); a device or pipe named as `--out` is left alone."""
    with contextlib.suppress(OSError):
        handle.close()
    if out.is_file():
        out.unlink(missing_ok=True)
        return "the incomplete file was removed"
    return "what it holds is incomplete"


def _chosen_lists(store: Store, names: list[str] | None) -> list[str] | None:
    """The lists `--list` names (None: every list), each one that is loaded, or exit 1."""
    if not names:
        return None
    loaded = [v.list_name for v in current_versions(store)]
    unknown = [n for n in names if n not in loaded]
    if unknown:
        raise fail(
            f"no list {', '.join(repr(n) for n in unknown)} (loaded lists: "
            f"{', '.join(loaded) or 'none'}); nothing was exported"
        )
    return list(dict.fromkeys(names))


def _released(
    ctx: typer.Context, store: Store, chosen: list[str] | None, given: list[str]
) -> Released:
    """The consents that let the lists leave (`jalur.lists.onward`), checked before a line
    is written; a refusal names the list, the originator and the option that releases it."""
    from jalur import users  # the markings: only when a list is exported

    with users.open_sql(ctx) as engine, engine.connect() as con:
        own = users.default_agency(con)
        marks = {
            name: ListMark(found.agency, tuple(found.caveats))
            for name, found in users.markings_of(con, "list", own).items()
        }
    check = OnwardCheck(own, marks)
    try:
        check.refuse_foreign(chosen or [v.list_name for v in current_versions(store)])
        for list_name, data in current_entity_data(store, chosen):
            check.note(list_name, data)
        return check.released(given)
    except OnwardRefusedError as exc:
        raise fail(f"{exc} (nothing was exported)") from exc


def _out(path: Path) -> Any:
    """The export file, its folder made as `monitor` does; a place that cannot be written is
    a clear error before the store is read, not a traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise fail(f"{path}: cannot write it ({exc.strerror or exc})") from exc


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def register_cli(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
