"""The exchange log on the command line: seal after each operation, show and verify on demand.

Kept apart from `exchange_cli` so that the commands there only add one call
(`seal_after`) after the operation that wrote to the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from jalur.clikit import console, fail, open_store, plain, print_json, settings_of, warn
from jalur.exchange import identity as identities
from jalur.exchange.agency_cli import passphrase, take_given_passphrase
from jalur.exchange.chain import ChainReport, Seal
from jalur.exchange.errors import ExchangeError
from jalur.exchange.identity import Identity
from jalur.exchange.keys import fingerprint
from jalur.exchange.log import LogEntry, check_log, read_log, seal_head
from jalur.store import Store


def seal_after(ctx: typer.Context, store: Store) -> None:
    """Seal the log's head after an operation that had the passphrase; warn when it cannot.

    A command that stopped before it asked for the passphrase wrote nothing to the log, so
    there is nothing to seal and nobody is asked for a passphrase again.
    """
    secret = take_given_passphrase()
    if secret is None:
        return
    settings = settings_of(ctx)
    try:
        seal_head(store, identities.load(settings.home), secret, settings.seals_path)
    except (ExchangeError, OSError) as exc:
        warn(f"the exchange log was not sealed: {exc}")


def show_log(ctx: typer.Context, *, verify: bool, seal: bool, as_json: bool) -> None:
    """`jalur exchange log [--seal] [--verify] [--json]`."""
    settings = settings_of(ctx)
    me = _identity(settings.home)
    sealed: Seal | None = None
    with open_store(ctx) as store:
        if seal:
            sealed = _seal_now(store, me, settings.seals_path)
        entries = read_log(store)
        report = check_log(store, me, settings.seals_path)
    if as_json:
        print_json(
            {
                "entries": [e.as_dict() for e in entries],
                "intact": report.intact,
                "problem": report.problems[0] if report.problems else None,
                "seals": report.as_dict(),
                "sealed_now": sealed.as_dict() if sealed else None,
            }
        )
    else:
        _print(entries, report, sealed)
    if verify and not report.intact:
        raise fail("exchange log: " + "; ".join(report.problems))


def _seal_now(store: Store, me: Identity | None, seals_file: Path) -> Seal | None:
    if me is None:
        raise fail("this workspace has no agency identity to seal with; run `jalur agency init`")
    try:
        return seal_head(store, me, passphrase(), seals_file)
    except ExchangeError as exc:
        raise fail(str(exc)) from exc


def _identity(home: Path) -> Identity | None:
    try:
        return identities.load(home)
    except ExchangeError:
        return None  # no agency here: hashes can still be checked, seals cannot


def _print(entries: list[LogEntry], report: ChainReport, sealed: Seal | None) -> None:
    table = Table("seq", "at", "action", "partner", "package", "detail")
    for e in entries:
        table.add_row(
            *(plain(v) for v in (e.seq, e.at, e.action, e.partner or "", e.package_id or "")),
            plain(_brief(e.detail)),
        )
    console.print(table)
    if sealed:
        console.print(
            f"sealed entry {sealed.seq} with key {fingerprint(sealed.key_id)}", markup=False
        )
    state = "intact" if report.intact else "BROKEN: " + report.problems[0]
    console.print(f"chain: {state}; head {report.head or '-'}", markup=False)
    for problem in report.problems[1:]:
        console.print(f"  also: {problem}", markup=False)
    newest = report.newest_seal
    if newest:
        console.print(
            f"sealed up to entry {newest.seq} at {newest.at} by key {fingerprint(newest.key_id)} "
            f"({report.seals_in_database} seals in the database, {report.seals_in_file} in the "
            "seals file)",
            markup=False,
        )
    if report.unsealed:
        warn(
            f"unsealed tail: {report.unsealed} entries after the newest seal "
            "(`jalur exchange log --seal` signs them)"
        )


def _brief(detail: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in detail.items() if k not in ("caveats", "file_sha256"))[
        :90
    ]
