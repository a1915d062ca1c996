"""`jalur monitor run`, `jalur accounts flag`, `jalur trace`, `jalur alerts export|show`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jalur.audit import record_cli
from jalur.clikit import console, exit_for_rows, fail, open_store, print_json, settings_of
from jalur.config import ConfigError
from jalur.model import REPORTING_CURRENCY
from jalur.monitoring.engines import ENGINES, Engine, EngineError, open_engine
from jalur.monitoring.export import UnknownRunError, alert_rows, export_alerts
from jalur.monitoring.flags import TOPICS, FlagFileError, flag_accounts, unpaid_accounts
from jalur.monitoring.graph import write_graph
from jalur.monitoring.params import MonitoringParams, load_params
from jalur.monitoring.persist import save_channels
from jalur.monitoring.run import monitor
from jalur.monitoring.seeds import load_seeds, resolve
from jalur.monitoring.staging import stage, unstage
from jalur.monitoring.trace import trace
from jalur.store import Store

monitor_app = typer.Typer(
    help="Transaction monitoring: typologies, exposure.", no_args_is_help=True
)
accounts_app = typer.Typer(help="Accounts an agency flags (exposure seeds).", no_args_is_help=True)
alerts_app = typer.Typer(help="Monitoring alerts: show and export.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
EngineOpt = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]


def _params(ctx: typer.Context) -> MonitoringParams:
    try:
        return load_params(settings_of(ctx).section("monitoring"))
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
    top: Annotated[int, typer.Option("--top", help="Alerts to print.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Run every typology and exposure over the loaded payments and record the alerts."""
    params = _params(ctx)
    unknown = [t for t in typology or [] if t not in params.tables or t in ("run", "spark")]
    if unknown:
        raise fail(f"unknown typology {', '.join(unknown)} (known: {', '.join(params.typologies)})")
    with open_store(ctx) as store, _engine(engine, store, params) as chosen:
        report = monitor(store, chosen, params, typologies=typology or None)
    summary = report.summary()
    record_cli(ctx, "monitor.run", report.run_id, {
        k: summary[k] for k in ("engine", "payments", "alerts", "by_typology") if k in summary
    })  # fmt: skip
    if as_json:
        print_json({**report.summary(), "top": [a.as_dict() for a in report.alerts[:top]]})
        return
    counts = Table("typology", "alerts", "seconds")
    for name, seconds in report.seconds.items():
        found = sum(1 for a in report.alerts if _typology_of(a.typology) == name)
        counts.add_row(name, "" if name == "staging" else str(found), f"{seconds:.1f}")
    console.print(counts)
    console.print(f"{report.payments} payments, {len(report.alerts)} alerts ({report.run_id})")
    _print_alerts([(a.score, a.typology, a.account, a.explanation) for a in report.alerts[:top]])


def _typology_of(alert_typology: str) -> str:
    """terror_exposure and drug_exposure both come from the exposure measure."""
    return "exposure" if alert_typology.endswith("_exposure") else alert_typology


def _print_alerts(rows: list[tuple[float, str, str, str]]) -> None:
    table = Table("score", "typology", "account", "explanation")
    for value, typology, account, explanation in rows:
        table.add_row(f"{value:.2f}", typology, account, explanation)
    console.print(table)


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
            console.print(f"[yellow]rejected[/] {error}", highlight=False)
        console.print(
            f"{report.read} read: {report.accepted} flagged ({topic}), "
            f"{len(report.rejected)} rejected, {report.duplicates} already flagged"
        )
    exit_for_rows(report.read, len(report.rejected))


def trace_command(
    ctx: typer.Context,
    sources: Annotated[
        str, typer.Option("--from", help="Accounts or topics (drug, terror), comma-separated.")
    ],
    sinks: Annotated[str, typer.Option("--to", help="Accounts or topics, comma-separated.")],
    hops: Annotated[int | None, typer.Option("--hops", help="Most payments per channel.")] = None,
    allocation: Annotated[
        str | None, typer.Option("--allocation", help="proportional or fifo.")
    ] = None,
    graph: Annotated[
        Path | None, typer.Option("--graph", help="Graph file (.json or .graphml).")
    ] = None,
    engine: EngineOpt = "duckdb",
    top: Annotated[int, typer.Option("--top", help="Channels to print.")] = 15,
    as_json: JsonFlag = False,
) -> None:
    """Trace how money from SOURCES reached SINKS: channels, amounts, hops, duration."""
    params = _params(ctx)
    settings = params.of("trace")
    rule = allocation or str(settings["allocation"])
    if rule not in ("proportional", "fifo"):
        raise fail(f"--allocation must be proportional or fifo, not {rule!r}")
    target = graph or settings_of(ctx).artefacts / f"channels-{_stamp()}.json"
    with open_store(ctx) as store:
        seeds = load_seeds(store)
        froms, tos = resolve(seeds, _names(sources)), resolve(seeds, _names(sinks))
        if not froms or not tos:
            raise fail(
                f"no accounts for --from {sources!r} or --to {sinks!r}: flag accounts "
                "(jalur accounts flag) or screen parties first"
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
                hops or int(settings["max_hops"]),
                rule,
                float(settings["min_amount"]),
            )
            unstage(chosen)
        traced_at = datetime.now(UTC)
        trace_id = traced_at.strftime("TRACE-%Y%m%dT%H%M%S%fZ")
        save_channels(store, found, trace_id, traced_at, _currency(ctx))
    record_cli(ctx, "monitor.trace", trace_id, {
        "sources": sources, "sinks": sinks, "allocation": rule, "max_hops": found.hops,
        "channels": found.channels.num_rows, "arrived": found.arrived,
    })  # fmt: skip
    try:
        written = write_graph(found, target)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    channels = found.channels.to_pylist()
    if as_json:
        print_json(
            {
                "trace_id": trace_id,
                "graph": str(written),
                "emitted": found.emitted,
                "arrived": found.arrived,
                "allocation": rule,
                "channels": channels[:top] if top else channels,
            }
        )
        return
    table = Table("channel", "path", "hops", "amount", "duration (h)")
    for ch in channels[:top]:
        table.add_row(
            ch["channel_id"],
            " → ".join(ch["path"]),
            str(ch["hops"]),
            f"{ch['amount']:,.2f}",
            f"{ch['duration_s'] / 3600:.1f}",
        )
    console.print(table)
    console.print(
        f"{len(channels)} channels; {found.arrived:,.2f} of {found.emitted:,.2f} "
        f"sent by the sources reached the sinks ({rule}); graph: {written}; "
        f"recorded as {trace_id} (`jalur cases open --channel ID`)"
    )


def _currency(ctx: typer.Context) -> str:
    """Channel amounts are in the reporting currency the payments were converted to."""
    section = settings_of(ctx).section("transactions")
    return str(section.get("reporting_currency", REPORTING_CURRENCY))


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


@alerts_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: latest).")] = None,
) -> None:
    """One CSV row per alert and account: alert_id, typology, account, score, explanation."""
    with open_store(ctx) as store:
        try:
            count = export_alerts(store, out, run)
        except UnknownRunError as exc:
            raise fail(f"{exc} (nothing was written)") from exc
    record_cli(ctx, "alerts.export", str(out), {"rows": count, "run": run or "latest"})
    console.print(f"{count} rows written to {out}")


@alerts_app.command("show")
def show_command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", help="Alerts to print.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """The latest pass's alerts, riskiest subject first (`jalur model score`), then best."""
    with open_store(ctx) as store:
        found = [r for r in alert_rows(store) if r[3] == "subject"][:top]
    if as_json:
        keys = ("alert_id", "typology", "account", "role", "score", "explanation", "run_id",
                "risk_score")  # fmt: skip
        print_json([dict(zip(keys, r, strict=True)) for r in found])
        return
    _print_alerts([(float(r[4]), str(r[1]), str(r[2]), _with_risk(r)) for r in found])  # type: ignore[arg-type]


def _with_risk(row: tuple[object, ...]) -> str:
    """The explanation, led by the subject's risk score once accounts are scored."""
    risk = row[7]
    return str(row[5]) if risk is None else f"risk {float(risk):.2f} · {row[5]}"  # type: ignore[arg-type]


def register_cli(app: typer.Typer) -> None:
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(accounts_app, name="accounts")
    app.add_typer(alerts_app, name="alerts")
    app.command("trace")(trace_command)
