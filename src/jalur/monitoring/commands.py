"""`jalur monitor run`, `jalur accounts flag`, `jalur trace`, `jalur alerts export|show`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jalur.audit import record_cli
from jalur.clikit import (
    EXIT_USAGE,
    JsonFlag,
    check_out,
    console,
    exit_for_rows,
    fail,
    one_of,
    open_store,
    plain,
    print_json,
    print_table,
    report,
    score_text,
    settings_of,
    stage_progress,
    warn,
)
from jalur.config import ConfigError
from jalur.model import REPORTING_CURRENCY
from jalur.monitoring.case_notes import case_text, cases_of, cases_read
from jalur.monitoring.channel_facts import channel_facts
from jalur.monitoring.detectors import TYPOLOGIES
from jalur.monitoring.engines import ENGINES, Engine, EngineError, open_engine, require_payments
from jalur.monitoring.export import COLUMNS, UnknownRunError, alert_list, export_alerts
from jalur.monitoring.flags import TOPICS, FlagFileError, flag_accounts, unpaid_accounts
from jalur.monitoring.graph import GRAPH_FORMATS, channel_graph, write_graph_data
from jalur.monitoring.params import MonitoringParams, load_params
from jalur.monitoring.persist import latest_run, save_channels
from jalur.monitoring.run import monitor
from jalur.monitoring.seeds import load_seeds, resolve
from jalur.monitoring.staging import stage, unconverted, unstage
from jalur.monitoring.summary import run_summary
from jalur.monitoring.trace import trace
from jalur.monitoring.view_cli import account_show_command, show_alert
from jalur.pictures import PICTURE_FORMATS, run_report_html, write_picture
from jalur.store import Store

#: Every file `jalur trace --graph` writes: data (JSON, GraphML) or a picture (HTML, SVG, PNG).
TRACE_FILES = (*GRAPH_FORMATS, *PICTURE_FORMATS)

monitor_app = typer.Typer(
    help="Transaction monitoring: typologies, exposure.", no_args_is_help=True
)
accounts_app = typer.Typer(help="Accounts an agency flags (exposure seeds).", no_args_is_help=True)
alerts_app = typer.Typer(help="Monitoring alerts: show and export.", no_args_is_help=True)


EngineOpt = Annotated[
    str,
    typer.Option("--engine", help="duckdb (default) or spark.", callback=one_of(ENGINES)),
]


def _params(ctx: typer.Context) -> MonitoringParams:
    try:
        return load_params(settings_of(ctx).section("monitoring"), _currency(ctx))
    except ConfigError as exc:
        raise fail(str(exc)) from exc


@contextmanager
def _engine(kind: str, store: Store, params: MonitoringParams) -> Iterator[Engine]:
    if kind not in ENGINES:
        raise fail(f"unknown engine {kind!r} (known: {', '.join(ENGINES)})")
    try:
        engine = open_engine(kind, store, params.of("spark"))
    except EngineError as exc:
        raise fail(str(exc)) from exc
    try:
        require_payments(engine)
    except EngineError as exc:
        engine.close()
        raise fail(str(exc)) from exc
    try:
        yield engine
    finally:
        engine.close()


@monitor_app.command("run")
def run_command(
    ctx: typer.Context,
    engine: EngineOpt = "duckdb",
    typology: Annotated[
        list[str] | None, typer.Option("--typology", help="Run only these (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Alerts to print.")] = 10,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", help="Also write the run's one-page HTML summary here."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Run every typology and exposure over the loaded payments and record the alerts."""
    params = _params(ctx)
    if report_file is not None:
        _check_suffix("--report", report_file, (".html",))
    unknown = params.unknown(typology or [])
    if unknown:
        raise fail(unknown)
    typology = list(dict.fromkeys(typology or [])) or None  # named twice: run once
    stages = 1 + len(typology or params.typologies)
    with open_store(ctx) as store:
        with (
            _engine(engine, store, params) as chosen,
            stage_progress(stages, hidden=as_json) as on_stage,
        ):
            report = monitor(store, chosen, params, typologies=typology or None, on_stage=on_stage)
            without_rate = unconverted(chosen)
        if report_file is not None:
            _write_report(ctx, store, report.run_id, report_file, params)
    summary = report.summary()
    record_cli(ctx, "monitor.run", report.run_id, {
        k: summary[k] for k in ("engine", "payments", "alerts", "by_typology") if k in summary
    })  # fmt: skip
    _warn_unconverted(without_rate, params.reporting_currency)
    if as_json:
        written = {"report": str(report_file)} if report_file else {}
        print_json({**summary, **written, "unconverted": without_rate,
                    "top": [a.as_dict() for a in report.alerts[:top]]})  # fmt: skip
        return
    counts = Table("typology", "alerts", "seconds")
    for name, seconds in report.seconds.items():
        found = sum(1 for a in report.alerts if _typology_of(a.typology) == name)
        counts.add_row(name, "" if name == "staging" else str(found), f"{seconds:.1f}")
    console.print(counts)
    console.print(
        f"{report.loaded} payments, {report.payments} of them between two known accounts (what"
        f" the graph typologies read); {len(report.alerts)} alerts ({report.run_id})",
        markup=False,
    )
    _print_alerts([(a.score, a.typology, a.account, a.explanation) for a in report.alerts[:top]])
    _say_not_found_again(report.not_found_again)
    if report_file is not None:
        console.print(f"run summary: {report_file}", highlight=False, soft_wrap=True, markup=False)


def _say_not_found_again(dropped: dict[str, int]) -> None:
    """Name the earlier alerts this pass did not find again: the run's alerts are what a pass
    from scratch over the same payments finds, and those stay stored under their pass."""
    if not dropped:
        return
    each = ", ".join(f"{name}: {count}" for name, count in dropped.items())
    warn(
        f"{sum(dropped.values())} alerts of the previous pass are not found again ({each}):"
        " the payments loaded since change what the typologies see (for a fan: its account"
        " now busy in more than max_windows windows, or the burst under min_share of its"
        " payments), and this pass finds what a pass from scratch over the same payments"
        " finds. They stay stored under the pass that found them (`jalur alerts show"
        " ALERT`); `alerts show` lists this pass's."
    )


def _warn_unconverted(without_rate: dict[str, int], currency: str) -> None:
    """Name the payments whose amounts were compared unconverted (no rate in the table)."""
    if not without_rate:
        return
    each = ", ".join(f"{name}: {count}" for name, count in without_rate.items())
    warn(
        f"{sum(without_rate.values())} payments have no rate to {currency} ({each}): detection"
        f" compared their own amounts as if in {currency}, and explanations name {currency}"
        " beside them (a rate added to the table `[transactions] rates` names converts"
        " the payments loaded after it)"
    )


@monitor_app.command("report")
def report_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: latest).")] = None,
) -> None:
    """One page of charts for a run: alerts by typology, scores, top accounts, exposure."""
    _check_suffix("--out", out, (".html",))
    params = _params(ctx)
    with open_store(ctx) as store:
        chosen = _write_report(ctx, store, run, out, params)
    record_cli(ctx, "monitor.report", chosen, {"file": str(out)})
    console.print(f"run summary of {chosen}: {out}", highlight=False, soft_wrap=True, markup=False)


def _write_report(
    ctx: typer.Context, store: Store, run: str | None, out: Path, params: MonitoringParams
) -> str:
    """Write the HTML summary of `run` (default: latest); returns the run id."""
    minimum = float(params.of("exposure")["min_exposure"])
    try:
        summary = run_summary(store, run, min_exposure=minimum)
    except UnknownRunError as exc:
        raise fail(f"{exc} (nothing was written)") from exc
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(run_report_html(summary, currency=_currency(ctx)), "utf-8")
    except OSError as exc:
        raise fail(f"{out}: cannot write it ({exc.strerror or exc})") from exc
    return str(summary["run_id"])


def _check_suffix(option: str, path: Path, allowed: tuple[str, ...]) -> None:
    """A file whose suffix names no format we write is a usage error, caught before work."""
    if path.suffix.lower() not in allowed:
        raise fail(
            f"{option} {path}: the file must end in {', '.join(allowed)} (it picks the format)",
            EXIT_USAGE,
        )


def _typology_of(alert_typology: str) -> str:
    """terror_exposure and drug_exposure both come from the exposure measure."""
    return "exposure" if alert_typology.endswith("_exposure") else alert_typology


def _print_alerts(rows: list[tuple[float, str, str, str]]) -> None:
    print_table(
        ("score", "typology", "account", "explanation"),
        [(score_text(value), typology, account, explanation)
         for value, typology, account, explanation in rows],
    )  # fmt: skip


@accounts_app.command("flag")
def flag_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV with an 'account' column, or one per line.")],
    topic: Annotated[str, typer.Option("--topic", help="terror or drug")],
    reason: Annotated[str, typer.Option("--reason", help="Why (investigation, request).")],
    as_json: JsonFlag = False,
) -> None:
    """Flag accounts as exposure seeds for a topic (e.g. from a narcotics investigation).

    An account that appears in no loaded payment is rejected. Exit 3 when some lines were
    rejected, 4 when every one was."""
    if topic not in TOPICS:
        raise fail(f"--topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    with open_store(ctx) as store:
        try:
            report = flag_accounts(store, path, topic, reason, paid_only=True)
        except (FlagFileError, ValueError) as exc:
            raise fail(str(exc)) from exc
    record_cli(ctx, "accounts.flag", topic, {"file": str(path), "reason": reason,
               "accepted": report.accepted, "rejected": len(report.rejected)})  # fmt: skip
    if as_json:
        print_json(report.as_dict())
    else:
        for error in report.rejected:
            console.print(f"[yellow]rejected[/] {plain(error)}", highlight=False)
        console.print(
            f"{report.read} read: {report.accepted} flagged ({topic}), "
            f"{len(report.rejected)} rejected, {report.duplicates} already flagged",
            markup=False,
        )
    exit_for_rows(report.read, len(report.rejected))


def trace_command(
    ctx: typer.Context,
    sources: Annotated[
        str, typer.Option("--from", help="Accounts or topics (drug, terror), comma-separated.")
    ],
    sinks: Annotated[str, typer.Option("--to", help="Accounts or topics, comma-separated.")],
    hops: Annotated[
        int | None, typer.Option("--hops", min=1, help="Most payments per channel.")
    ] = None,
    allocation: Annotated[
        str | None, typer.Option("--allocation", help="proportional or fifo.")
    ] = None,
    graph: Annotated[
        list[Path] | None,
        typer.Option(
            "--graph",
            help="Write the channels to this file (repeatable); the suffix picks the format: "
            ".json or .graphml (data), .html (interactive picture), .svg or .png (picture).",
        ),
    ] = None,
    engine: EngineOpt = "duckdb",
    top: Annotated[int, typer.Option("--top", min=0, help="Channels to print.")] = 15,
    as_json: JsonFlag = False,
) -> None:
    """Trace how money from SOURCES reached SINKS: channels, amounts, hops, duration."""
    params = _params(ctx)
    settings = params.of("trace")
    rule = allocation or str(settings["allocation"])
    if rule not in ("proportional", "fifo"):
        raise fail(f"--allocation must be proportional or fifo, not {rule!r}")
    for target in graph or []:
        _check_suffix("--graph", target, TRACE_FILES)
    targets = graph or [settings_of(ctx).artefacts / f"channels-{_stamp()}.json"]
    with open_store(ctx) as store:
        seeds = load_seeds(store)
        froms, tos = resolve(seeds, _names(sources)), resolve(seeds, _names(sinks))
        if froms and froms == tos:
            raise fail(
                f"--from and --to name the same accounts ({', '.join(sorted(froms)[:5])}"
                f"{', …' if len(froms) > 5 else ''}): a channel runs from a source to a "
                "different sink; name other sinks (money going round is `monitor run`'s cycle)",
                EXIT_USAGE,
            )
        empty = [f"{option} {text!r}" for option, text, found in
                 (("--from", sources, froms), ("--to", sinks, tos)) if not found]  # fmt: skip
        if empty:
            raise fail(
                f"no accounts for {' and '.join(empty)}: no account is flagged with that topic"
                " or matched to a party listed under it; flag accounts (jalur accounts flag"
                " FILE --topic drug|terror) or screen the payments' parties first"
            )
        named = [n for n in [*_names(sources), *_names(sinks)] if n not in TOPICS]
        unpaid = unpaid_accounts(store, named)
        if unpaid:
            raise fail(f"no loaded payment has account(s) {', '.join(map(repr, unpaid))}")
        with _engine(engine, store, params) as chosen:
            stage(chosen)
            found = trace(
                chosen,
                froms,
                tos,
                int(settings["max_hops"]) if hops is None else hops,
                rule,
                float(settings["min_amount"]),
            )
            unstage(chosen)
        traced_at = datetime.now(UTC)
        trace_id = traced_at.strftime("TRACE-%Y%m%dT%H%M%S%fZ")
        save_channels(store, found, trace_id, traced_at, _currency(ctx))
        data = channel_graph(found, channel_facts(store, found, seeds, _currency(ctx)))
        # Inside the store's block: the files name holders, so they are private like it.
        title = f"Money traced from {_describe(sources)} to {_describe(sinks)}"
        written = [_write_trace_file(data, target, title) for target in targets]
    record_cli(ctx, "monitor.trace", trace_id, {
        "sources": sources, "sinks": sinks, "allocation": rule, "max_hops": found.hops,
        "channels": found.channels.num_rows, "arrived": found.arrived,
    })  # fmt: skip
    channels = data["channels"]
    if as_json:
        print_json(
            {
                "trace_id": trace_id,
                "graph": str(written[0]),
                "graphs": [str(w) for w in written],
                "emitted": found.emitted,
                "arrived": found.arrived,
                "currency": data["currency"],
                "allocation": rule,
                "channel_count": len(channels),
                "channels": channels[:top],
            }
        )
        return
    _print_channels(channels[:top], data["currency"])
    console.print(
        f"{len(channels)} channels; {found.arrived:,.2f} of {found.emitted:,.2f} "
        f"{data['currency']} sent by the sources reached the sinks ({rule}); "
        f"recorded as {trace_id} (`jalur cases open --channel ID`)",
        highlight=False,
        markup=False,
    )
    for path in written:
        console.print(f"written: {path}", highlight=False, soft_wrap=True, markup=False)


def _write_trace_file(data: dict[str, object], target: Path, title: str) -> Path:
    try:
        if target.suffix.lower() in GRAPH_FORMATS:
            return write_graph_data(data, target)
        return write_picture(data, target, title=title)
    except OSError as exc:
        raise fail(f"--graph {target}: cannot write it ({exc.strerror or exc})") from exc


def _print_channels(channels: list[dict[str, Any]], currency: str) -> None:
    """Channels with the holders' names beside the account numbers, amounts with currency."""
    table = Table("channel", "path (holder \\[account])", "hops", "amount", "first → last", "hours")
    for ch in channels:
        names = [f"{h} [{a}]" if h else a for a, h in zip(ch["path"], ch["holders"], strict=True)]
        table.add_row(
            plain(ch["channel_id"]),
            plain(" → ".join(names)),
            str(ch["hops"]),
            f"{ch['amount']:,.2f} {currency}",
            f"{(ch['first_departure'] or '')[:16]} → {(ch['last_arrival'] or '')[:16]}",
            f"{ch['duration_s'] / 3600:.1f}",
        )
    console.print(table)


def _describe(text: str) -> str:
    """'drug' → 'drug-flagged accounts'; account numbers stay as they are."""
    words = {"drug": "drug-flagged accounts", "terror": "terror-linked accounts"}
    return ", ".join(words.get(n, n) for n in _names(text))


def _currency(ctx: typer.Context) -> str:
    """Channel amounts are in the reporting currency the payments were converted to."""
    section = settings_of(ctx).section("transactions")
    return str(section.get("reporting_currency", REPORTING_CURRENCY))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _alert_typology(value: str | None) -> str | None:
    """A typology an alert can have (an exposure alert's is `terror_exposure` or
    `drug_exposure`); another is a usage error, not an empty list."""
    known = [*TYPOLOGIES, *(f"{topic}_exposure" for topic in TOPICS)]
    if value is not None and value not in known:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(known)}")
    return value


TypologyFilter = Annotated[
    str | None,
    typer.Option("--typology", help="Only this typology's alerts.", callback=_alert_typology),
]


@alerts_app.command(
    "export",
    help=f"One CSV row per alert and account; columns: {', '.join(COLUMNS)}. "
    "Exit 1 for an unknown --run (nothing is written).",
)
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: latest).")] = None,
    typology: TypologyFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the alerts of a run (default: the latest) as CSV (help: the decorator's)."""
    check_out(out)
    with open_store(ctx) as store:
        try:
            count = export_alerts(store, out, run, typology)
        except UnknownRunError as exc:
            raise fail(f"{exc} (nothing was written)") from exc
        run = run or latest_run(store, typology)  # the run written (was null: "the latest")
    record_cli(ctx, "alerts.export", str(out), {"rows": count, "run": run})
    written = f"{count} rows of {run} written to {out}" if run else f"{count} rows written to {out}"
    report(as_json, {"rows": count, "out": str(out), "run": run}, written)


@alerts_app.command("show")
def show_command(
    ctx: typer.Context,
    alert_id: Annotated[
        str | None, typer.Argument(help="One alert in full (default: list the latest pass's).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Alerts to print.")] = 20,
    typology: TypologyFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """The latest pass's alerts, riskiest subject first (once `jalur model score` ran), then
    best; with ALERT_ID that alert in full: explanation, payments, accounts and holders,
    related alerts (exit 1 when unknown)."""
    if alert_id is not None:
        show_alert(ctx, alert_id, as_json)
        return
    with open_store(ctx) as store:
        found = alert_list(store, top, typology)
        # --top 0 lists none of the alerts there are: an empty table, not "No alerts"
        any_alert = found or (top == 0 and alert_list(store, 1, typology))
        hint = None if any_alert or as_json else _no_alerts(store, typology)
    if cases_read():
        held = cases_of(ctx, [str(a["alert_id"]) for a in found])
        found = [{**a, "cases": held[str(a["alert_id"])]} for a in found]
    if as_json:
        print_json(found)
        return
    if hint is not None:
        report(False, {}, hint)
        return
    columns = ("alert", "score", "typology", "account", "explanation")
    print_table(
        (*columns, "cases") if cases_read() else columns,
        [_listed(a) + _cases_cell(a) for a in found],
    )


def _cases_cell(alert: dict[str, Any]) -> tuple[str, ...]:
    """The cases column of one alert's row (none when no case reader is wired)."""
    return (case_text(alert["cases"]),) if "cases" in alert else ()


def _no_alerts(store: Store, typology: str | None) -> str:
    """What an empty `alerts show` says instead of an empty table: whether monitoring has run,
    and the command that comes next (a new workspace looked the same as a quiet one)."""
    latest = latest_run(store)
    if latest is None:
        return (
            "No alerts: monitoring has not run in this workspace. Load payments with "
            "`jalur tx load FILE`, then run `jalur monitor run`."
        )
    run = latest_run(store, typology)
    if run is None:
        return (
            f"No {typology} alerts: no monitoring pass has run {typology} (the passes named"
            " other typologies with --typology); run `jalur monitor run`."
        )
    which = f"{typology} alerts" if typology else "alerts"
    return (
        f"No {which} in the latest monitoring pass ({run}"
        f"{f', the latest that ran {typology}' if run != latest else ''}). After loading"
        " more payments (`jalur tx load FILE`), run `jalur monitor run` again."
    )


def _listed(alert: dict[str, Any]) -> tuple[str, ...]:
    """One alert's row: its subjects together in the account column."""
    return (
        alert["alert_id"], score_text(float(alert["score"])), alert["typology"],
        ", ".join(alert["subjects"]), _with_risk(alert),
    )  # fmt: skip


def _with_risk(alert: dict[str, Any]) -> str:
    """The explanation, led by the riskiest subject's risk score once accounts are scored."""
    risk, explanation = alert["risk_score"], str(alert["explanation"])
    return explanation if risk is None else f"risk {score_text(float(risk))} · {explanation}"


def register_cli(app: typer.Typer) -> None:
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(accounts_app, name="accounts")
    app.add_typer(alerts_app, name="alerts")
    accounts_app.command("show")(account_show_command)
    app.command("trace")(trace_command)
