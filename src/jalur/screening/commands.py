"""`jalur screen …`: one name, a customer file, payment parties, rescreen after a list update."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from jalur.clikit import (
    EXIT_PARTIAL,
    JsonFlag,
    check_out,
    console,
    err_console,
    exit_for_rows,
    fail,
    open_store,
    plain,
    print_json,
    progress_bar,
    score_text,
    settings_of,
)
from jalur.config import ConfigError
from jalur.screening.batch import (
    OPTIONAL,
    BatchInputError,
    BatchReport,
    hits_file_problem,
    name_problem,
    screen_file,
)
from jalur.screening.config import ScreeningConfig
from jalur.screening.decisions import (
    SIGNED_IN,
    ClearReport,
    DecisionError,
    Decisions,
    Tally,
    clear_all,
    read_clearings,
    resolve_user,
)
from jalur.screening.entity_view import entities_app
from jalur.screening.features import Query
from jalur.screening.fields import inert, read_query
from jalur.screening.parties import (
    TRANSACTIONS,
    known_party,
    payment_parties,
    payment_party_count,
    rescreen,
    screen_parties,
)
from jalur.screening.persist import warm_screener
from jalur.screening.screener import Screener
from jalur.screening.store import has_table, remember_customers
from jalur.store import Store

screen_app = typer.Typer(
    help="Screen names against every loaded list: one name, a file, payment parties.",
    no_args_is_help=True,
)

#: A threshold outside 0–1 is a usage error (exit 2), refused by Click before anything runs.
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, max=1.0, help="Report hits at or above this score (0–1)."),
]
IncludeClearedFlag = Annotated[
    bool,
    typer.Option(
        "--include-cleared", help="Report the hits of cleared pairs too, marked 'cleared'."
    ),
]


def _config(ctx: typer.Context, threshold: float | None) -> ScreeningConfig:
    try:
        return ScreeningConfig.for_settings(settings_of(ctx)).with_threshold(threshold)
    except ConfigError as exc:
        raise fail(str(exc)) from exc


def _screener(ctx: typer.Context, store: Store, config: ScreeningConfig) -> Screener:
    """The workspace's stored index when the lists did not change since it was built."""
    screener = warm_screener(store, settings_of(ctx).home, config)
    if screener.index.entity_count == 0:
        raise fail("no lists loaded: run `jalur lists load FILE` first")
    return screener


@screen_app.command("name")
def name_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    dob: Annotated[
        str | None,
        typer.Option("--dob", help="Birth date: 1965, 1965-03-12, 12.03.1965, 1963-1964…"),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="Country: ISO code, name or demonym; several for dual nationality (RU; UA).",
        ),
    ] = None,
    identifier: Annotated[str | None, typer.Option("--id", help="Passport, NIK, INN…")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person, Organization, Company…")
    ] = None,
    customer_id: Annotated[
        str | None,
        typer.Option("--customer-id", help="Screen as this customer: remembered, decisions apply."),
    ] = None,
    threshold: ThresholdOpt = None,
    include_cleared: IncludeClearedFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Screen one name; hits ranked, each with its explanation.

    A birth date, country, id or schema that cannot be read is a warning: the name is
    screened without it. With --customer-id the customer is remembered (for rescreen and
    `screen clear`) and the pairs cleared for it are left out while nothing changed.
    """
    if (problem := name_problem(name)) is not None:
        raise fail(f"cannot screen {name[:40]!r}: {problem}")
    config = _config(ctx, threshold)
    query, warnings = read_query(name, dob, country, identifier, schema)
    tally = Tally()
    with open_store(ctx) as store:
        screener = _screener(ctx, store, config)
        hits = [hit.as_dict() for hit in screener.screen(query)]
        if customer_id:
            _remember(store, [customer_id], [query])
            hits = Decisions.load(store).sift(customer_id, query, hits, tally, include_cleared)
    if as_json:
        print_json(
            {"query": name, "customer_id": customer_id, "warnings": [str(w) for w in warnings],
             **tally.as_dict(), "hits": hits}
        )  # fmt: skip
        return
    for warning in warnings:
        err_console.print(f"[yellow]warning[/] {plain(warning)}", highlight=False)
    _print_hits(name, hits, tally)


def _print_hits(name: str, hits: list[dict[str, Any]], tally: Tally) -> None:
    if tally.suppressed:
        console.print(
            f"{tally.suppressed} cleared hit(s) suppressed (--include-cleared shows them)",
            markup=False,
        )
    if not hits:
        console.print(f"no hits for {name!r}", markup=False)
        return
    console.print(f"{len(hits)} hit(s) for {name!r}, best first:", markup=False)
    shared = _shared_captions(hits)
    for hit in hits:
        mark = f" [yellow]{plain(hit['decision'])}[/]" if hit.get("decision") else ""
        console.print(
            f"[bold]{score_text(hit['score'])}[/]  {plain(hit['list'])} "
            f"{plain(hit['source_id'] or '')}  "
            f"({plain(hit['risk_class'])}) {_entry(hit, shared)}{mark}",
            highlight=False,
        )
        console.print(f"       {_facts(hit)}", highlight=False, soft_wrap=True, markup=False)
        console.print(f"       {hit['explanation']}", highlight=False, soft_wrap=True, markup=False)
        if hit.get("decided"):
            console.print(f"       {hit['decided']}", highlight=False, soft_wrap=True, markup=False)


def _shared_captions(hits: list[dict[str, Any]]) -> set[str]:
    """Captions that more than one hit's entry has: those hits name their entity id."""
    seen: set[str] = set()
    shared: set[str] = set()
    for hit in hits:
        key = (hit.get("caption") or "").casefold()
        (shared if key in seen else seen).add(key)
    return shared


def _entry(hit: dict[str, Any], shared: set[str]) -> str:
    caption = str(hit.get("caption") or "")
    if caption.casefold() in shared:
        caption = f"{caption} [{hit['entity_id']}]"
    return escape(caption)


def _facts(hit: dict[str, Any]) -> str:
    """The listed entry's topics, birth dates and countries, on one line under the hit."""
    parts = [
        f"{label}: {', '.join(hit[key])}"
        for key, label in (
            ("topics", "topics"),
            ("birth_dates", "born"),
            ("countries", "countries"),
        )
        if hit.get(key)
    ]
    return "; ".join(parts) if parts else "(no topics, birth dates or countries listed)"


#: The most worker processes `screen batch` forks: each holds the index (copy-on-write), and a
#: mistyped `--workers 10000` would fork that many before screening a row.
MAX_WORKERS = 256


@screen_app.command("batch")
def batch_command(
    ctx: typer.Context,
    input_path: Annotated[
        Path, typer.Argument(help="CSV, .xlsx or Parquet: id,name[,dob,country,…]")
    ],
    out: Annotated[Path, typer.Option("--out", help="Hits file (.csv or .parquet).")],
    threshold: ThresholdOpt = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=MAX_WORKERS, help=f"Worker processes (1–{MAX_WORKERS})."
        ),
    ] = 1,
    remember: Annotated[
        bool, typer.Option("--remember/--no-remember", help="Keep customers for rescreen.")
    ] = True,
    include_cleared: IncludeClearedFlag = False,
    encoding: Annotated[
        str, typer.Option("--encoding", help="A CSV file's encoding (cp1252, latin-1, …).")
    ] = "utf-8",
    as_json: JsonFlag = False,
) -> None:
    """Screen every row of a customer file; bad rows are reported, the rest still screened.

    Exit 3 when some rows were rejected (or a later sheet of a workbook has customers too:
    not screened), 4 when every row was."""
    from jalur.audit import record_cli  # the trail (SQLAlchemy): only commands that record

    check_out(out)  # before customers are remembered and hits are computed
    if problem := hits_file_problem(out):
        raise fail(problem)
    config = _config(ctx, threshold)
    with open_store(ctx) as store:
        screener = _screener(ctx, store, config)
        decisions = Decisions.load(store)
        keep = partial(_remember, store) if remember else None
        progress = progress_bar(hidden=as_json)
        with progress:
            task = progress.add_task("screening", total=_row_count(input_path))
            try:
                report = screen_file(
                    partial(screener.batch_rows, threshold=config.threshold),
                    input_path, out, workers=workers,
                    on_chunk=lambda n: progress.advance(task, n), on_accepted=keep,
                    decisions=decisions, include_cleared=include_cleared, encoding=encoding,
                )  # fmt: skip
            except BatchInputError as exc:
                raise fail(str(exc)) from exc
    record_cli(ctx, "screen.batch", str(input_path), {**_counts(report.as_dict()), "out": str(out)})
    if as_json:
        print_json(report.as_dict())
    else:
        _print_batch(report, out)
    exit_for_rows(report.read, report.rejected)
    if report.unread_sheets:  # customers on another sheet were not screened: not a success
        raise typer.Exit(EXIT_PARTIAL)


#: Unread columns a warning names; `--json` lists them all.
SHOWN_COLUMNS = 10
#: Characters of a column name a warning shows (a header cell may be a megabyte).
SHOWN_NAME_CHARS = 40


def _summary(names: list[str]) -> str:
    """The first unread column names (each cut short) and how many more: a file of 10,000
    extra columns named them all on one line, burying the summary line under it."""
    written = [inert(n) for n in names]
    shown = [n if len(n) <= SHOWN_NAME_CHARS else n[: SHOWN_NAME_CHARS - 1] + "…" for n in written]
    more = len(names) - SHOWN_COLUMNS
    return ", ".join(shown[:SHOWN_COLUMNS]) + (f" … and {more:,} more" if more > 0 else "")


def _print_batch(report: BatchReport, out: Path) -> None:
    for error in report.errors:
        err_console.print(f"[yellow]rejected[/] {plain(error)}", highlight=False)
    for warning in report.warning_messages:
        err_console.print(f"[yellow]warning[/] {plain(warning)}", highlight=False)
    if report.unread_columns:
        err_console.print(
            f"[yellow]warning[/] column(s) not read: {plain(_summary(report.unread_columns))} "
            f"(read: id, name and "
            f"{', '.join(OPTIONAL)}; see `jalur screen batch --help`)",
            highlight=False,
        )
    if report.unread_sheets:
        sheets = ", ".join(repr(inert(sheet)) for sheet in report.unread_sheets)
        err_console.print(
            f"[yellow]warning[/] sheet(s) {plain(sheets)} have customers too and were not"
            " screened: only the first sheet with id and name columns is read (save each"
            " as its own file)",
            highlight=False,
        )
    if report.date_order:
        err_console.print(
            f"[cyan]note[/] birth dates read {plain(report.date_order)}: an ambiguous one "
            "(7/8/1966) is 8 July",
            highlight=False,
        )
    console.print(
        f"read {report.read} = accepted {report.accepted} + rejected {report.rejected} "
        f"+ duplicates {report.duplicates}; {report.warnings} warnings; {report.hits} hits for "
        f"{report.parties_with_hits} parties{_decided(report.decided)} → {out}",
        markup=False,
    )


def _counts(report: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a screening run: the counts, not the hits."""
    return {k: v for k, v in report.items() if isinstance(v, (int, float, str)) or v is None}


def _decided(tally: Tally) -> str:
    """The summary's word on cleared pairs, when there were any."""
    if not tally.suppressed and not tally.previously_cleared and not tally.cleared_shown:
        return ""
    shown = f", {tally.cleared_shown} shown marked 'cleared'" if tally.cleared_shown else ""
    return (
        f"; {tally.suppressed} cleared hits suppressed{shown}, "
        f"{tally.previously_cleared} previously cleared shown again"
    )


def _remember(store: Store, ids: list[str], queries: list[Query]) -> None:
    remember_customers(
        store,
        [
            {"party_id": i, "name": q.name, "birth_date": q.birth_date, "country": q.country,
             "identifier": q.identifier, "schema": q.schema}
            for i, q in zip(ids, queries, strict=True)
        ],
    )  # fmt: skip


def _row_count(path: Path) -> int | None:
    if path.suffix.lower() in (".parquet", ".pq") and path.exists():
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


@screen_app.command("parties")
def parties_command(
    ctx: typer.Context,
    threshold: ThresholdOpt = None,
    include_cleared: IncludeClearedFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Screen every payment party of the transactions table; hits are kept for monitoring."""
    config = _config(ctx, threshold)
    with open_store(ctx) as store:
        if not has_table(store, TRANSACTIONS):
            raise fail("no transactions table: load payments first (`jalur tx load`)")
        screener = _screener(ctx, store, config)
        with progress_bar(hidden=as_json) as bar:
            task = bar.add_task("screening payment parties", total=payment_party_count(store))
            report = screen_parties(
                store, screener, include_cleared=include_cleared,
                on_parties=lambda n: bar.advance(task, n),
            )  # fmt: skip
    _record_and_print(ctx, "screen.parties", "payment parties", report.as_dict(), as_json)


@screen_app.command("rescreen")
def rescreen_command(
    ctx: typer.Context,
    threshold: ThresholdOpt = None,
    include_cleared: IncludeClearedFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """After a list update: screen every known party against only the new or changed entries."""
    config = _config(ctx, threshold)
    with open_store(ctx) as store:
        report = rescreen(store, config, include_cleared=include_cleared)
    _record_and_print(ctx, "screen.rescreen", "known parties", report.as_dict(), as_json)


@screen_app.command("clear")
def clear_command(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Option("--customer", help="Customer id.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="List entry (entity_id).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why they differ.")] = None,
    list_name: Annotated[
        str | None, typer.Option("--list", help="The list, for an entry on several lists.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="CSV: customer,entity,reason[,list].")
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Who decides (default: $JALUR_USER, login); signed in with accounts."
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="The threshold the hit was found at (a run's own).",
        ),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="The --file's encoding (cp1252, latin-1, …).")
    ] = "utf-8",
    as_json: JsonFlag = False,
) -> None:
    """Record that a customer is not a list entry: the hit stays suppressed until either changes.

    The decision keeps the user, the time and a fingerprint of both sides as they are now.
    The customer is screened again as last screened: a pair that is no hit is refused.
    """
    from jalur.audit import record_cli  # the trail (SQLAlchemy): only commands that record

    decider = _decider(ctx, user)
    config = _config(ctx, threshold)
    with open_store(ctx) as store:
        try:
            rows = (
                read_clearings(file, encoding)
                if file
                else [("clear", _one_clearing(customer, entity, reason, list_name))]
            )
            meets = partial(_met, _screener(ctx, store, config), config.threshold)
            report = clear_all(
                store, rows, decider, partial(_customer, store), (meets, config.threshold)
            )
        except DecisionError as exc:
            raise fail(str(exc)) from exc
    if report.recorded:
        pairs = [f"{d.customer_id}/{d.list_name}/{d.entity_id}" for d in report.recorded]
        record_cli(ctx, "screen.clear", str(file) if file else pairs[0],
                   {"cleared": pairs, "reasons": sorted({d.reason for d in report.recorded}),
                    "rejected": len(report.errors)},
                   **_acting(decider))  # fmt: skip
    _print_clearing(report, as_json, single=file is None)
    _clearing_exit(report)


def _decider(ctx: typer.Context, option: str | None) -> tuple[str, str]:
    """Who clears: in a workspace with user accounts, the signed-in user (`--user` here or
    the global one, password from JALUR_PASSWORD) whose role works cases, else a clean exit
    (audited); without accounts, the name claimed (`--user`, JALUR_USER, login)."""
    from jalur import users  # accounts (SQLAlchemy): only `screen clear` signs in

    with users.open_sql(ctx) as engine:
        if not users.workspace_has_users(engine):
            return resolve_user(option, os.environ)
        if option and option.strip():
            ctx.meta[users.USER_META] = option.strip()
        me = users.signed_in(ctx, engine, users.WORK_CASES, "clear a screening hit")
    return me.name, SIGNED_IN


def _acting(decider: tuple[str, str]) -> dict[str, Any]:
    """How the audit trail names who cleared: signed in, or the name claimed."""
    return {"signed_in_as": decider[0]} if decider[1] == SIGNED_IN else {"claimed": decider}


def _one_clearing(
    customer: str | None, entity: str | None, reason: str | None, list_name: str | None
) -> dict[str, str]:
    if not customer or not entity or not reason:
        raise DecisionError("give --customer, --entity and --reason (or --file)")
    return {"customer": customer, "entity": entity, "reason": reason, "list": list_name or ""}


def _met(screener: Screener, threshold: float, query: Query) -> set[tuple[str, str]]:
    """The (list, entity id) pairs the customer hits now: the only pairs there are to clear."""
    return {(h.entity.list_name, h.entity.entity_id) for h in screener.screen(query, threshold)}


def _customer(store: Store, customer_id: str) -> list[Query]:
    """The customer as last screened: a remembered customer's one record, or every name a
    payment account was seen under (the parties screen screens each); none: never screened."""
    party = known_party(store, customer_id)
    if party is None:
        return []
    if party.source != TRANSACTIONS:
        return [party.query]
    return [p.query for p in payment_parties(store, customer_id)]


def _print_clearing(report: ClearReport, as_json: bool, single: bool) -> None:
    if single and report.errors:
        raise fail(report.errors[0].removeprefix("clear: "))
    if as_json:
        print_json(report.as_dict())
        return
    for error in report.errors:
        err_console.print(f"[yellow]rejected[/] {plain(error)}", highlight=False)
    for decision in report.recorded:
        console.print(
            f"cleared {inert(decision.customer_id)} / {decision.list_name} {decision.entity_id} "
            f"by {decision.decided_by} ({decision.user_source})",
            highlight=False,
            markup=False,
        )
    console.print(
        f"read {report.read} = recorded {len(report.recorded)} + rejected {len(report.errors)}",
        markup=False,
    )


def _clearing_exit(report: ClearReport) -> None:
    """A clearing file ends like any file of rows: exit 3 when some were rejected, 4 when all."""
    exit_for_rows(report.read, len(report.errors))


def _record_and_print(
    ctx: typer.Context, action: str, what: str, payload: dict[str, Any], as_json: bool
) -> None:
    """The end of a screening run over `what` (parties the workspace knows): its counts in
    the audit trail, then the report."""
    from jalur.audit import record_cli  # the trail (SQLAlchemy): only commands that record

    record_cli(ctx, action, what, _counts(payload))
    _print_report(payload, as_json, what)


def _print_report(payload: dict[str, Any], as_json: bool, what: str) -> None:
    if as_json:
        print_json(payload)
        return
    for warning in payload["warning_messages"]:
        err_console.print(f"[yellow]warning[/] {plain(warning)}", highlight=False)
    console.print(
        f"{payload['parties']} {what} screened against {payload['screened_against']} "
        f"listed entities: {payload['hit_count']} hits; {payload['warnings']} warnings"
        + _decided(
            Tally(payload["suppressed"], payload["previously_cleared"], payload["cleared_shown"])
        ),
        markup=False,
    )
    hits = sorted(payload["hits"], key=lambda h: -h["score"])[:20]
    if hits:
        console.print(f"top {len(hits)} hits:", markup=False)
    shared = _shared_captions(hits)
    for hit in hits:
        console.print(
            f"[bold]{score_text(hit['score'])}[/]  {plain(inert(hit['party_id']))} "
            f"{plain(repr(hit['party_name']))} → {plain(hit['list_name'])} "
            f"{plain(hit['source_id'] or '')} ({plain(hit['risk_class'])}) "
            f"{_entry(hit, shared)}",
            highlight=False,
        )
        console.print(f"       {_facts(hit)}", highlight=False, soft_wrap=True, markup=False)
        console.print(f"       {hit['explanation']}", highlight=False, soft_wrap=True, markup=False)
        if hit.get("decided"):
            console.print(
                f"       [yellow]{plain(hit['decision'])}[/] {plain(hit['decided'])}",
                highlight=False, soft_wrap=True,
            )  # fmt: skip


def register_cli(app: typer.Typer) -> None:
    app.add_typer(screen_app, name="screen")
    app.add_typer(entities_app, name="entities")
