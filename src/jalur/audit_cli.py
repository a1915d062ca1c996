"""`jalur audit …`: show, verify, seal and export the workspace audit trail.

Wired at the top (next to `cli.py`) because sealing needs the agency's key, which lives in
`exchange`, while the trail itself (`jalur.audit`) sits below every capability. Reading the trail
discloses who did what to which case: `show` and `export` need a signed-in user whose role may
read it, and are themselves recorded. `verify` and `seal` say nothing of the content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Connection, Engine, select

from jalur import audit, cases, users
from jalur.chain import ChainReport, SealKey
from jalur.clikit import (
    JsonFlag,
    check_out,
    console,
    fail,
    print_json,
    print_listing,
    report,
    secret,
    settings_of,
    warn,
)
from jalur.exchange import (
    ExchangeError,
    Identity,
    export_card,
    load_identity,
    parse_card,
    read_card,
)
from jalur.sqlstore import schema, snapshot

audit_app = typer.Typer(help="The workspace audit trail: show, verify, seal, export.")


@audit_app.command("show")
def show_command(
    ctx: typer.Context,
    obj: Annotated[str | None, typer.Option("--object", help="Only entries about this.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The trail, oldest first (a case's: --object CASE-ID)."""
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.READ_AUDIT, "show the audit trail")
        with snapshot(engine) as con:  # a long read: writers go on meanwhile (on SQLite too)
            found = list(audit.entries(con, obj))
            names = _own_agency_names(con, me)
        if names is not None:
            found = [e for e in found if e.user in names]
        audit.record(engine, me.name, "audit.show", obj, {"entries": len(found)})
    print_listing(
        as_json,
        [e.as_dict() for e in found],
        ("seq", "at", "user", "action", "object", "details"),
        ((str(e.seq), e.at, e.user or "", e.action, e.object or "",
          json.dumps(e.details, ensure_ascii=False)[:80]) for e in found),
    )  # fmt: skip


def _own_agency_names(con: Connection, me: users.User) -> set[str] | None:
    """For a user of another agency than the default one: the names (users and API keys) of
    their agency, whose entries are all they read, as in the service. None: the default
    agency's users read the whole trail (the command line acts for that agency)."""
    default = users.default_agency(con)
    agency = me.agency or default
    if agency == default:
        return None
    names = {r.name for r in con.execute(select(schema.users.c.name, schema.users.c.agency))
             if (r.agency or default) == agency}  # fmt: skip
    keys = select(schema.api_keys.c.id).where(schema.api_keys.c.agency == agency)
    return names | {f"key:{r.id}" for r in con.execute(keys)}


def _of_default_agency(engine: Engine, me: users.User, action: str) -> None:
    """Refuse (audited, a clean exit) a user of another agency than the installation's: the
    whole trail is every agency's actions, and cut to one agency's it would not verify."""
    with engine.connect() as con:
        default = users.default_agency(con)
    agency = me.agency or default
    if agency == default:
        return
    reason = (
        f"the whole trail is the installation's default agency's ({default}) to {action.split()[0]}"
        f", not agency {agency}'s (`jalur audit show` gives {agency}'s own entries)"
    )
    audit.record(engine, me.name, "access.refused", f"user:{me.name}", {
        "action": action, "reason": reason,
    })  # fmt: skip
    raise fail(f"{action} refused: {reason}; nothing was written")


@audit_app.command("verify")
def verify_command(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Option("--file", help="Check an export instead.")] = None,
    card: Annotated[
        Path | None, typer.Option("--card", help="The agency's public card to check seals with.")
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Hash every entry again, not only those after the last seal."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check the entries after the newest good seal (every entry with --full), every link, the
    head and every seal, and each case against its audited actions; names the first broken
    entry, each case changed outside jalur, and which entries were hashed again."""
    settings = settings_of(ctx)
    if file is not None:
        report = _verify_file(file, card, settings.home)
    else:
        keys = _keys(_card_keys(card) if card else None, settings.home)
        with users.open_sql(ctx) as engine:
            report = audit.check_trail(engine, keys, settings.seals_path, full=full)
            report.problems += [str(p) for p in cases.check_cases(engine)]
    _print_report(report, as_json)
    if not report.intact:
        raise typer.Exit(1)


@audit_app.command("seal")
def seal_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Sign the newest entry with the agency key (asks the key passphrase)."""
    settings = settings_of(ctx)
    me = _identity(settings.home)
    with users.open_sql(ctx) as engine:
        sealed = _seal(engine, me, settings.seals_path)
    report(
        as_json, {"sealed": sealed}, f"sealed entry {sealed}" if sealed else "nothing new to seal"
    )


@audit_app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The JSON-lines file to write.")],
    as_json: JsonFlag = False,
) -> None:
    """Write the trail, its seals and the agency's public card for someone else to check."""
    check_out(out)  # before the export is recorded in the trail
    settings = settings_of(ctx)
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.READ_AUDIT, "export the audit trail")
        _of_default_agency(engine, me, "export the audit trail")
        audit.record(engine, me.name, "audit.export", None, {"file": out.name})
        card = None
        try:
            identity = load_identity(settings.home)
        except ExchangeError:
            warn("no agency identity: the export carries no seals or card to check it with")
        else:
            _seal(engine, identity, settings.seals_path)
            card = export_card(identity, passphrase())
        count = audit.export_trail(engine, out, card)
    report(as_json, {"entries": count, "out": str(out), "card": card is not None},
           f"exported {count} entries to {out}")  # fmt: skip


def _seal(engine: Engine, me: Identity, seals_file: Path) -> int | None:
    secret_word = passphrase()
    try:
        secret = me.unlock(me.active.key_id, secret_word)
        seal = audit.seal_trail(
            engine, _keys(None, None, me), secret.key_id, secret.sign_bytes, seals_file
        )
    except (ExchangeError, audit.AuditError) as exc:
        raise fail(str(exc)) from exc
    return seal.seq if seal else None


def _verify_file(file: Path, card: Path | None, home: Path) -> ChainReport:
    chosen = _card_keys(card) if card else None

    def keys_of(embedded: Mapping[str, Any] | None) -> Iterable[SealKey]:
        if chosen is not None:
            return chosen
        local = _keys(None, home)
        if local:
            return local
        if embedded is None:
            return []
        warn("checking seals with the card inside the file: compare its fingerprint with the "
             "agency's, or give --card")  # fmt: skip
        return _from_card(parse_card(embedded, f"{file} header"))

    try:
        return audit.verify_export(file, keys_of)
    except (ValueError, OSError, ExchangeError) as exc:
        raise fail(str(exc)) from exc


def _card_keys(path: Path) -> list[SealKey]:
    try:
        return _from_card(read_card(path))
    except ExchangeError as exc:
        raise fail(str(exc)) from exc


def _from_card(card: Any) -> list[SealKey]:
    return [SealKey(k.key_id, k.sign_public, k.revoked_at) for k in card.keys]


def _keys(
    given: list[SealKey] | None, home: Path | None, identity: Identity | None = None
) -> list[SealKey]:
    """The keys seals are checked with: a given card's, else this agency's (none without one)."""
    if given is not None:
        return given
    if identity is None and home is not None:
        try:
            identity = load_identity(home)
        except ExchangeError:
            return []
    if identity is None:
        return []
    return [SealKey(k.key_id, k.sign_public, k.revoked_at) for k in identity.keys]


def _identity(home: Path) -> Identity:
    try:
        return load_identity(home)
    except ExchangeError as exc:
        raise fail(str(exc)) from exc


def _print_report(report: ChainReport, as_json: bool) -> None:
    if as_json:
        print_json(report.as_dict())
        return
    state = "intact" if report.intact else "BROKEN: " + report.problems[0]
    console.print(
        f"audit trail: {report.entries} entries, {state}; head {report.head or '-'}", markup=False
    )
    for problem in report.problems[1:]:
        console.print(f"  also: {problem}", markup=False)
    if isinstance(report, audit.TrailReport):
        console.print(f"checked: {report.checked()}", markup=False)
    if report.newest_seal:
        console.print(
            f"sealed up to entry {report.newest_seal.seq} at {report.newest_seal.at}", markup=False
        )
    if report.unsealed:
        warn(f"unsealed tail: {report.unsealed} entries after the newest seal (`jalur audit seal`)")


def passphrase() -> str:
    """The agency key passphrase: $JALUR_PASSPHRASE in scripts, else the terminal asks."""
    return secret("JALUR_PASSPHRASE", "Key passphrase")


def register_cli(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
