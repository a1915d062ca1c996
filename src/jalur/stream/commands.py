"""`jalur stream run | publish | watch`: the decision path on a NATS JetStream stream."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from nats.errors import NoServersError

from jalur.clikit import (
    JsonFlag,
    console,
    err_console,
    exit_for_rows,
    fail,
    print_json,
    settings_of,
)
from jalur.config import ConfigError, Settings
from jalur.store import WorkspaceInUseError
from jalur.stream.broker import (
    API_TIMEOUT,
    Counts,
    Subjects,
    connect,
    consume,
    ensure_streams,
    publish_payments,
)
from jalur.stream.sources import read_payments
from jalur.stream.state import ConsumerLock, StateInUseError, hold_consumer
from jalur.stream.workspace import config_of, open_decider, state_path
from jalur.transactions import TransactionLoadError

log = logging.getLogger(__name__)

stream_app = typer.Typer(
    help="Real time: decide each payment of a NATS JetStream stream.", no_args_is_help=True
)

#: Refused rows `stream publish` names one by one; the rest are counted.
NAMED_REFUSALS = 20

NatsOpt = Annotated[str, typer.Option("--nats", help="NATS server, e.g. nats://127.0.0.1:4222.")]


def _seconds(value: float | None) -> float | None:
    """An idle time is a finite number of seconds, at least 0: -5 or NaN stopped the consumer
    at once as if idle, exit 0 (a typo read as a quiet stream); to run until stopped, leave
    the option out."""
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise typer.BadParameter(
            f"{value} is no number of seconds (at least 0; leave it out to run until stopped)"
        )
    return value


def _count(value: int) -> int:
    """How many decisions to wait for: 0 is no limit; below 0 stopped before the first."""
    if value < 0:
        raise typer.BadParameter(f"{value} is below 0 (0: no limit)")
    return value


def _subjects(ctx: typer.Context) -> Subjects:
    try:
        return Subjects.of(config_of(settings_of(ctx)).section("nats"))
    except ConfigError as exc:
        raise fail(str(exc)) from exc


@stream_app.command("run")
def run_command(
    ctx: typer.Context,
    url: NatsOpt = "nats://127.0.0.1:4222",
    idle_exit: Annotated[
        float | None,
        typer.Option("--idle-exit", help="Stop after this many idle seconds.", callback=_seconds),
    ] = None,
    show: Annotated[bool, typer.Option("--print", help="Print each decision as JSON.")] = False,
) -> None:
    """Consume payments, publish decisions and alerts; acknowledge after they are stored.

    With `--idle-exit` the exit code says whether payments went to the dead letters (3 some,
    4 all, as for `tx load`); a run without it ends only when stopped, and says 0."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = settings_of(ctx)
    subjects = _subjects(ctx)
    try:
        consumer = hold_consumer(state_path(settings))
    except StateInUseError as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:  # the stream folder cannot be written: no consumer can start
        raise fail(f"cannot claim the stream state {state_path(settings)}: {exc}") from exc
    with consumer:
        counts = _consume(settings, url, subjects, idle_exit, show, consumer)
    console.print(
        f"received {counts.received} payments: decided {counts.decided} "
        f"({counts.alerts} alerts), {counts.repeated} repeats answered again, "
        f"{counts.dead} to the dead letters",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    if idle_exit is not None:  # a run that ends by itself is a script's: its code tells
        exit_for_rows(counts.received, counts.dead)  # 3 some dead letters, 4 all (README)


def _consume(
    settings: Settings,
    url: str,
    subjects: Subjects,
    idle_exit: float | None,
    show: bool,
    consumer: ConsumerLock,
) -> Counts:
    """Open the workspace's decider and consume until idle or stopped (the caller holds the
    state file: `consumer`, handed to the decider's state)."""
    try:
        decider = open_decider(settings, writer=consumer)
    except (ConfigError, WorkspaceInUseError) as exc:
        raise fail(str(exc)) from exc
    printer = _print_line if show else None
    try:
        return asyncio.run(consume(url, decider, subjects, idle_exit, printer))
    except (NoServersError, OSError) as exc:  # no server at all needs no traceback
        log.error("the consumer stopped", exc_info=not isinstance(exc, NoServersError))
        raise fail(f"cannot reach NATS at {url}: {type(exc).__name__} {exc}") from exc
    finally:
        decider.close()


def _print_line(decision: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(decision) + "\n")
    sys.stdout.flush()


@stream_app.command("publish")
def publish_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Payments file (any format `tx load` reads).")],
    format: Annotated[str, typer.Option("--format", help="As for `jalur tx load`.")] = "parquet",
    mapping: Annotated[Path | None, typer.Option("--mapping", help="Column mapping (CSV).")] = None,
    url: NatsOpt = "nats://127.0.0.1:4222",
    as_json: JsonFlag = False,
) -> None:
    """Send a payments file to the stream, in time order, each with its Nats-Msg-Id."""
    try:
        read = read_payments(path, format, mapping)
    except TransactionLoadError as exc:
        raise fail(str(exc)) from exc
    subjects = _subjects(ctx)
    try:
        sent, duplicates = asyncio.run(publish_payments(url, read.payments, subjects))
    except (NoServersError, OSError) as exc:
        raise fail(f"cannot reach NATS at {url}: {type(exc).__name__} {exc}") from exc
    shown = err_console if as_json else console  # --json: stdout is the JSON and only that
    for refused in read.refused[:NAMED_REFUSALS]:
        shown.print(
            f"refused {refused['position']}: {refused['reason']}", highlight=False, markup=False
        )
    unnamed = len(read.refused) - NAMED_REFUSALS
    if unnamed > 0:
        shown.print(f"… and {unnamed} more refused", highlight=False, markup=False)
    footers = {"footers": read.footers} if read.footers else {}  # as `tx load --json`
    if as_json:
        print_json(
            {"sent": sent, "duplicates": duplicates, "refused": len(read.refused), **footers}
        )
    else:
        read_rows = sent + duplicates + len(read.refused)
        apart = f"; {read.footers} statement balance or total lines (not payments)"
        console.print(
            f"{read_rows} read: sent {sent} payments to {subjects.payments} ({duplicates} it"
            f" already had), {len(read.refused)} refused{apart if read.footers else ''}",
            highlight=False,
            markup=False,
        )
    exit_for_rows(sent + duplicates + len(read.refused), len(read.refused))


@stream_app.command("watch")
def watch_command(
    ctx: typer.Context,
    url: NatsOpt = "nats://127.0.0.1:4222",
    count: Annotated[
        int, typer.Option("--count", help="Stop after this many decisions.", callback=_count)
    ] = 0,
    idle_exit: Annotated[
        float, typer.Option("--idle-exit", help="Stop when idle.", callback=_seconds)
    ] = 10.0,
) -> None:
    """Print held and reviewed payments as decided, then the held ones, listed parties first."""
    subjects = _subjects(ctx)
    try:
        decisions = asyncio.run(_watch(url, subjects, count, idle_exit))
    except (NoServersError, OSError) as exc:
        raise fail(f"cannot reach NATS at {url}: {type(exc).__name__} {exc}") from exc
    _summary(decisions)


async def _watch(
    url: str, subjects: Subjects, count: int, idle_exit: float
) -> list[dict[str, Any]]:
    nc = await connect(url, "jalur-stream-watch")
    seen: list[dict[str, Any]] = []
    try:
        js = nc.jetstream(timeout=API_TIMEOUT)
        await ensure_streams(js, subjects)
        sub = await js.pull_subscribe(subjects.decisions, stream=f"{subjects.stream}_DECISIONS")
        idle = 0.0
        while idle < idle_exit and not (count and len(seen) >= count):
            try:
                messages = await sub.fetch(500, timeout=1.0)
            except TimeoutError:
                idle += 1.0
                continue
            idle = 0.0
            for message in messages:
                try:
                    decision = decision_of(message.data)
                except ValueError as exc:
                    seq = message.metadata.sequence.stream
                    console.print(
                        f"skipped message {seq} of {subjects.decisions}: {exc}",
                        highlight=False, soft_wrap=True, markup=False,
                    )  # fmt: skip
                    seen.append({"decision": "unreadable"})
                    await message.ack()
                    continue
                seen.append(decision)
                if decision["decision"] != "pass":
                    console.print(_line(decision), highlight=False, soft_wrap=True, markup=False)
                await message.ack()
    finally:
        await nc.close()
    return seen


def decision_of(data: bytes) -> dict[str, Any]:
    """A decision message as `stream run` writes it; ValueError saying why when it is not one.

    Anyone who may publish on the decisions subject can put anything there: `watch` names and
    skips what is not a decision instead of ending in a traceback.
    """
    try:
        decision = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(decision, dict):
        raise ValueError("not a JSON object")
    if decision.get("decision") not in ("pass", "review", "hold"):
        raise ValueError(f"decision {str(decision.get('decision'))[:40]!r} is not pass/review/hold")
    reasons = decision.get("reasons")
    if not isinstance(decision.get("tx_id"), str) or not isinstance(reasons, list):
        raise ValueError("no tx_id text or no list of reasons")
    if not all(isinstance(r, dict) for r in reasons):
        raise ValueError("a reason that is not an object")
    return decision


#: Held payments listed in the summary.
SHOWN = 25


def _line(decision: dict[str, Any]) -> str:
    reasons = "; ".join(
        str(r.get("detail", r.get("code", ""))).split(": alias")[0][:110]
        for r in decision["reasons"][:2]
    )
    return f"{decision['decision'].upper():6} {decision['tx_id']}: {reasons}"


def _listed(decision: dict[str, Any]) -> bool:
    return any(r.get("kind") == "screening" for r in decision["reasons"])


def _summary(decisions: list[dict[str, Any]]) -> None:
    held = [d for d in decisions if d["decision"] == "hold"]
    held.sort(key=lambda d: not _listed(d))
    console.print(
        f"\nheld ({len(held)}), payments to listed parties first:", highlight=False, markup=False
    )
    for decision in held[:SHOWN]:
        console.print("  " + _line(decision), highlight=False, soft_wrap=True, markup=False)
    if len(held) > SHOWN:
        console.print(f"  … and {len(held) - SHOWN} more", highlight=False, markup=False)
    tally = {k: sum(d["decision"] == k for d in decisions) for k in ("pass", "review", "hold")}
    unreadable = len(decisions) - sum(tally.values())
    skipped = (
        f"; {unreadable:,} message{' was' if unreadable == 1 else 's were'} "
        f"no decision{'' if unreadable == 1 else 's'} (skipped)"
        if unreadable
        else ""
    )
    console.print(
        f"{len(decisions) - unreadable:,} decisions: {tally['pass']:,} passed, "
        f"{tally['review']:,} for review, {tally['hold']:,} held{skipped}",
        highlight=False,
        markup=False,
    )


def register_cli(app: typer.Typer) -> None:
    app.add_typer(stream_app, name="stream")
