"""`jalur tx …` (load, show, quarantine, loads, export) and `jalur generate`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jalur.audit import record_cli
from jalur.clikit import (
    JsonFlag,
    check_out,
    console,
    exit_for_rows,
    fail,
    open_store,
    plain,
    print_json,
    print_listing,
    progress_bar,
    settings_of,
)
from jalur.config import Settings
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.load import load_log, load_transactions
from jalur.transactions.options import AMLSIM_EPOCH, LoadOptions
from jalur.transactions.parties import party_entities, payment_entities
from jalur.transactions.rates import RateTableError, load_rates
from jalur.transactions.readers import READERS
from jalur.transactions.summary import ADVICE, quarantine_reasons, quarantine_rows, summary

tx_app = typer.Typer(
    help="Payments: load any format, inspect, export parties.", no_args_is_help=True
)


def options_from(settings: Settings, **given: Any) -> LoadOptions:
    """Command-line values win over `[transactions]` in jalur.toml, which win over defaults."""
    section = settings.section("transactions")
    try:
        rates = load_rates(
            Path(section["rates"]) if "rates" in section else None,
            section.get("reporting_currency", "USD"),
        )
        epoch = given.pop("epoch") or date.fromisoformat(
            str(section.get("amlsim_epoch", AMLSIM_EPOCH.isoformat()))
        )
    except (RateTableError, ValueError) as exc:
        raise fail(f"[transactions] settings: {exc}") from exc
    values = {key: value for key, value in given.items() if value is not None}
    if "chunk_rows" in section:
        values.setdefault("chunk_rows", int(section["chunk_rows"]))
    return LoadOptions(rates=rates, amlsim_epoch=epoch, **values)


@tx_app.command("load")
def load_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Payment file (or AMLSim output folder).")],
    format: Annotated[str, typer.Option("--format", help="|".join(READERS))],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Column mapping (csv/parquet).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Source encoding (CSV, MT).")
    ] = None,
    epoch: Annotated[
        str | None, typer.Option("--epoch", help="AMLSim step 0 date (default 2017-01-01).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="AMLSim amounts' currency (USD).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Load payments; bad records go to quarantine, reloading adds nothing twice.

    Exit 3 when some records were quarantined, 4 when every one was."""
    try:
        start = date.fromisoformat(epoch) if epoch else None
    except ValueError as exc:
        raise fail(f"--epoch: {exc}") from exc
    options = options_from(
        settings_of(ctx),
        mapping=mapping,
        encoding=encoding,
        epoch=start,
        amlsim_currency=currency,
    )
    with open_store(ctx) as store, progress_bar(hidden=as_json) as bar:
        task = bar.add_task(f"loading {path.name}", total=_source_rows(path))
        try:
            counts = load_transactions(
                store, path, format, options=options,
                on_chunk=lambda seen: bar.update(task, completed=seen.read),
            )  # fmt: skip
        except TransactionLoadError as exc:
            record_cli(ctx, "tx.load", str(path), {"format": format, "failed": str(exc)})
            raise fail(f"{exc} (nothing more was loaded)") from exc
        reasons = quarantine_reasons(store, counts.load_id) if counts.rejected else []
    record_cli(ctx, "tx.load", str(path), {"format": format, **counts.as_dict()})
    if as_json:
        print_json(counts.as_dict())
    else:
        see = " (see `jalur tx quarantine`)" if counts.rejected else ""
        console.print(
            f"{path}: read {counts.read}, accepted {counts.accepted}, rejected {counts.rejected}"
            f"{see}, duplicates {counts.duplicates}{_footers(counts.footers)}"
            f"{_unread_countries(counts.unread_countries)}",
            markup=False,
        )
        _say_reasons(reasons)
    exit_for_rows(counts.read, counts.rejected)


def _say_reasons(reasons: list[tuple[str, int]]) -> None:
    """The load's commonest quarantine reasons, each with what a mapping changes to read it
    (`bad timestamp` → `timestamp_format`): a local bank's export wholly rejected for a date
    layout said only `rejected 5000 (see jalur tx quarantine)`."""
    if not reasons:
        return
    said = "; ".join(
        f"{kind} ({count})" + (f": {ADVICE[kind]}" if kind in ADVICE else "")
        for kind, count in reasons
    )
    console.print(f"most rejected for: {said}", markup=False, highlight=False, soft_wrap=True)


def _source_rows(path: Path) -> int | None:
    """A Parquet file's row count (a progress bar's total); None where it is not known ahead."""
    if path.is_file() and path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


@tx_app.command("show")
def show_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Payments in the workspace by source file, and what is quarantined."""
    with open_store(ctx) as store:
        data = summary(store)
    if as_json:
        print_json(data)
        return
    table = Table("source file", "payments", "labelled", "first", "last")
    for row in data["sources"]:
        table.add_row(
            plain(row["source_file"]),
            str(row["payments"]),
            "" if row["labelled"] is None else str(row["labelled"]),
            str(row["first"]),
            str(row["last"]),
        )
    console.print(table)
    console.print(
        f"{data['payments']} payments, {data['parties']} parties, "
        f"{data['quarantined']} quarantined records",
        markup=False,
    )


def _unread_countries(count: int) -> str:
    """Payments loaded with a country no code was read from, said where there were some (the
    log's warnings name them)."""
    if not count:
        return ""
    return f"; {count} with a country that names none (kept as written, see the warnings)"


def _footers(count: int) -> str:
    """A statement's balance and total lines, said where the file had some."""
    if not count:
        return ""
    return f"; {count} statement balance or total lines (not payments)"


@tx_app.command("quarantine")
def quarantine_command(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="Rows to show.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Rejected records: source file, position, the sender's references and reason."""
    with open_store(ctx) as store:
        rows = quarantine_rows(store, limit)
    keys = ("source_file", "source_position", "end_to_end_id", "uetr", "reason")
    print_listing(
        as_json,
        rows,
        ("source file", "position", "EndToEndId/:20:", "UETR", "reason"),
        (["" if row[k] is None else str(row[k]) for k in keys] for row in rows),
    )


@tx_app.command("loads")
def loads_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Recent loads with their counts (an interrupted load stays `running`)."""
    with open_store(ctx) as store:
        rows = load_log(store)
    keys = ("load_id", "source_file", "format", "status", "read", "accepted", "rejected",
            "duplicates", "footers")  # fmt: skip
    print_listing(
        as_json,
        rows,
        ("load", "source", "format", "status", "read", "accepted", "rejected", "dups", "footers"),
        ([str(row.get(k) or 0) if k == "footers" else str(row[k]) for k in keys] for row in rows),
    )


@tx_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="File (default: stdout).")] = None,
    payments: Annotated[
        bool, typer.Option("--payments", help="Also Payment entities (large).")
    ] = False,
) -> None:
    """Parties (holders, BankAccounts, Ownerships) as FollowTheMoney JSON lines."""
    if out:
        check_out(out)
    handle = out.open("w", encoding="utf-8") if out else sys.stdout
    count = 0
    with open_store(ctx) as store:
        for entity in party_entities(store):
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False) + "\n")
            count += 1
        if payments:
            for entity in payment_entities(store):
                handle.write(json.dumps(entity.to_dict(), ensure_ascii=False) + "\n")
                count += 1
    if out:
        handle.close()
    record_cli(
        ctx, "tx.export", str(out) if out else "stdout", {"entities": count, "payments": payments}
    )


def generate_command(
    ctx: typer.Context,
    transactions: Annotated[int, typer.Option("--transactions", help="How many.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 1,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("generated"),
    use_lists: Annotated[
        bool, typer.Option("--lists/--no-lists", help="Take watchlist names from the workspace.")
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """A synthetic labelled economy: transactions, accounts, patterns (Parquet)."""
    from jalur.transactions.generate import GeneratorConfig, generate

    if transactions < 1:
        raise fail("--transactions must be at least 1")
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out}: not a folder (the economy is several Parquet files)")
    config = GeneratorConfig(transactions=transactions, seed=seed)
    if use_lists:
        with open_store(ctx) as store:
            report = generate(config, out, store)
    else:
        report = generate(config, out, None)
    if as_json:
        print_json(report)
        return
    console.print(
        f"{out}: {report['transactions']} transactions, {report['accounts']} accounts, "
        f"{report['patterns']} patterns ({report['laundering']} labelled), "
        f"{report['watchlist_parties']} parties resembling {report['watchlist_source']} "
        f"entries, in {report['seconds']:.1f} s",
        markup=False,
    )


def register_cli(app: typer.Typer) -> None:
    app.add_typer(tx_app, name="tx")
    app.command("generate")(generate_command)
