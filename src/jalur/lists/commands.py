"""`jalur lists …`: load, show, diff and export watchlists."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jalur.audit import record_cli
from jalur.clikit import console, fail, open_store, print_json, settings_of
from jalur.config import ConfigError
from jalur.lists.errors import ListLoadError
from jalur.lists.fetch import fetch_list, resolve_source
from jalur.lists.formats import ParseOptions
from jalur.lists.load import load_list
from jalur.lists.store import current_entities, current_versions, last_delta
from jalur.lists.summary import list_summaries

lists_app = typer.Typer(
    help="Terrorist and sanctions lists: load, fetch, show, diff, export.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@lists_app.command("load")
def load_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="List file (or OFAC CSV folder).")],
    format: Annotated[
        str | None, typer.Option("--format", help="un|ofac|ofac-csv|eu|uk|ftm|csv")
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
    as_json: JsonFlag = False,
) -> None:
    """Load one list file as a new version of its list and record the delta."""
    options = ParseOptions(list_name=name, mapping=mapping, encoding=encoding)
    with open_store(ctx) as store:
        try:
            with console.status(f"loading {path}", spinner="dots"):
                report = load_list(store, path, format=format, options=options)
        except ListLoadError as exc:
            raise fail(f"{exc} (nothing was loaded)") from exc
    record_cli(ctx, "lists.load", report.list, {**report.as_dict(), "file": str(path)})
    _report(report.as_dict(), as_json)


def _report(report: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(report)
        return
    console.print(
        f"[bold]{report['list']}[/] version {report['version']}: {report['entities']} entries "
        f"(+{report['added']} −{report['removed']} ~{report['changed']})"
        + (f"; {report['duplicates']} duplicate records merged" if report.get("duplicates") else "")
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
    as_json: JsonFlag = False,
) -> None:
    """Download list NAME from its official address (or --url) and load it as a new version."""
    settings = settings_of(ctx)
    try:
        configured = settings.section("lists").get("sources", {})
        source = resolve_source(name, configured, url)
        with open_store(ctx) as store, console.status(f"fetching {source.url}", spinner="dots"):
            report = fetch_list(store, source, settings.artefacts / "lists", encoding=encoding)
    except (ListLoadError, ConfigError) as exc:
        raise fail(f"{exc} (nothing was loaded)") from exc
    record_cli(ctx, "lists.fetch", report.list, {**report.as_dict(), "url": source.url})
    _report({**report.as_dict(), "url": source.url}, as_json)


@lists_app.command("show")
def show_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Each list with its current version and counts by schema and topic."""
    with open_store(ctx) as store:
        summaries = list_summaries(store)
    if as_json:
        print_json(summaries)
        return
    table = Table("list", "version", "entries", "by schema / topic")
    for item in summaries:
        published = f"\npublished {item['published']}" if item["published"] else ""
        table.add_row(
            f"[bold]{item['list']}[/]",
            f"{item['version']}{published}",
            str(item["entities"]),
            f"{_counts(item['schemata'])}\n[dim]{_counts(item['topics'])}[/]",
        )
    console.print(table)


@lists_app.command("diff")
def diff_command(ctx: typer.Context, name: str, as_json: JsonFlag = False) -> None:
    """The delta that the newest version of list NAME made."""
    with open_store(ctx) as store:
        versions = {v.list_name: v for v in current_versions(store)}
        if name not in versions:
            raise fail(
                f"no list named {name!r} is loaded (loaded: {', '.join(versions) or 'none'})"
            )
        delta = last_delta(store, name)
    payload = {"list": name, "version": versions[name].version_id, **delta}
    if as_json:
        print_json(payload)
        return
    for change in ("added", "removed", "changed"):
        console.print(f"[bold]{change}[/] ({len(delta[change])}): {', '.join(delta[change][:20])}")


@lists_app.command("export")
def export_command(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="Only 'ftm' (JSON lines).")] = "ftm",
    out: Annotated[Path | None, typer.Option("--out", help="File (default: stdout).")] = None,
) -> None:
    """All current entities of all lists as FollowTheMoney JSON lines."""
    if format != "ftm":
        raise fail(f"unknown export format {format!r} (known: ftm)")
    handle = out.open("w", encoding="utf-8") if out else sys.stdout
    count = 0
    with open_store(ctx) as store:
        for entity in current_entities(store):
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    if out:
        handle.close()
    record_cli(ctx, "lists.export", str(out) if out else "stdout", {"entities": count})


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def register_cli(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
