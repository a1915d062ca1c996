"""`jalur agency …`: this installation's identity, its keys, and its partners' cards."""

from __future__ import annotations

import json
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated

import typer

from jalur.audit import record_cli
from jalur.clikit import (
    JsonFlag,
    check_out,
    fail,
    open_store,
    print_listing,
    report,
    secret,
    settings_of,
)
from jalur.exchange import identity as identities
from jalur.exchange.cards import export_card, read_card
from jalur.exchange.errors import ExchangeError
from jalur.exchange.keys import REVOKED, PublicKeys, fingerprint
from jalur.exchange.partners import add_partner, list_partners, revoke_partner_key

PASSPHRASE_ENV = "JALUR_PASSPHRASE"
NEW_PASSPHRASE_ENV = "JALUR_NEW_PASSPHRASE"
_given: ContextVar[str | None] = ContextVar("jalur_passphrase", default=None)
agency_app = typer.Typer(
    help="This agency's identity and keys; partner agencies.", no_args_is_help=True
)


def passphrase(confirm: bool = False) -> str:
    """From JALUR_PASSPHRASE when set (scripts, tests), else asked at the terminal.

    Kept until `take_given_passphrase` consumes it, so that the exchange log can be sealed
    after the operation without asking twice (a command is one process).
    """
    value = secret(PASSPHRASE_ENV, "Key passphrase", confirm)
    _given.set(value)
    return value


def take_given_passphrase() -> str | None:
    """The passphrase given since the last call, if any; forgets it (never asks)."""
    value = _given.get()
    _given.set(None)
    return value


@agency_app.command("init")
def init_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Agency name, e.g. PPATK.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-2, e.g. ID.")],
    as_json: JsonFlag = False,
) -> None:
    """Create this agency's signing (Ed25519) and encryption (X25519) keys."""
    home = settings_of(ctx).ensure_home()
    try:
        made = identities.create(home, name, country, passphrase(confirm=True))
    except ExchangeError as exc:
        raise fail(str(exc)) from exc
    record_cli(ctx, "agency.init", made.name,
               {"country": made.country, "key_id": made.active.key_id})  # fmt: skip
    report(as_json, {"name": made.name, "country": made.country,
                     "fingerprint": made.active.fingerprint},
           f"{made.name} ({made.country}) key fingerprint {made.active.fingerprint}")  # fmt: skip


@agency_app.command("card")
def card_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Where to write the public card (JSON).")],
    as_json: JsonFlag = False,
) -> None:
    """Export this agency's public card for partners (check its fingerprint with them)."""
    check_out(out)
    try:
        me = identities.load(settings_of(ctx).home)
        card = export_card(me, passphrase())
    except ExchangeError as exc:
        raise fail(str(exc)) from exc
    out.write_text(json.dumps(card, indent=2), encoding="utf-8")
    report(as_json, {"name": me.name, "out": str(out), "fingerprint": me.active.fingerprint},
           f"card of {me.name} written to {out}; fingerprint {me.active.fingerprint}")  # fmt: skip


@agency_app.command("add-partner")
def add_partner_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The partner's card.")],
    expect: Annotated[
        str | None,
        typer.Option("--fingerprint", help="Refuse unless the card has this fingerprint."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Accept a card no trusted key signed (re-verified).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a partner from its card, or update it (rotation, revocation)."""
    with open_store(ctx) as store:
        try:
            card = read_card(file)
            if expect and expect.replace(" ", "").lower() != card.active.key_id:
                raise ExchangeError(
                    f"fingerprint mismatch: card has {card.active.fingerprint}, expected {expect}"
                )
            partner, action = add_partner(
                store, card, replace_keys=replace, own_key_ids=_own_key_ids(ctx)
            )
            active = partner.active.fingerprint
        except ExchangeError as exc:
            # a refused card is a trust decision too (its revocations are applied regardless)
            record_cli(ctx, "agency.add-partner-refused", str(file),
                       {"reason": str(exc), "replace": replace})  # fmt: skip
            raise fail(str(exc)) from exc
    record_cli(ctx, "agency.add-partner", partner.partner, {
        "result": action, "name": partner.name, "country": partner.country,
        "key_id": partner.active.key_id, "fingerprint_checked": bool(expect),
        "replace": replace, "file": str(file),
    })  # fmt: skip
    report(as_json, {"partner": partner.partner, "action": action, "name": partner.name,
                     "country": partner.country, "fingerprint": active},
           f"partner {partner.partner} {action}: {partner.name} ({partner.country}), "
           f"active key {active}")  # fmt: skip


def _own_key_ids(ctx: typer.Context) -> list[str]:
    """This agency's key ids (none before `agency init`: a workspace may add partners first)."""
    try:
        return [k.key_id for k in identities.load(settings_of(ctx).home).keys]
    except ExchangeError:
        return []


@agency_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """This agency and its partners, with every key's fingerprint and status."""
    rows: list[dict[str, str | None]] = []
    try:
        me = identities.load(settings_of(ctx).home)
        rows += [_row("this agency", me.name, me.country, k) for k in me.keys]
    except ExchangeError:
        pass  # a workspace may list partners before it has an identity
    with open_store(ctx) as store:
        for p in list_partners(store):
            rows += [_row(p.partner, p.name, p.country, k) for k in p.keys]
    columns = ("partner", "agency", "country", "fingerprint", "status", "retired", "revoked")
    print_listing(as_json, rows, columns, ([str(r[c] or "") for c in columns] for r in rows))


def _row(partner: str, name: str, country: str, key: PublicKeys) -> dict[str, str | None]:
    """One key's line; `retired`: from when a retired key signs nothing partners accept."""
    return {
        "partner": partner,
        "agency": name,
        "country": country,
        "fingerprint": fingerprint(key.key_id),
        "status": key.status,
        "retired": key.retired_at,
        "revoked": key.revoked_at,
    }


@agency_app.command("rotate")
def rotate_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """New keys; the old ones are retired. Send partners the new card."""
    home = settings_of(ctx).home
    try:
        me = identities.load(home)
        old = me.active.key_id
        new = identities.rotate(me, passphrase())
        identities.save(home, me)
    except ExchangeError as exc:
        raise fail(str(exc)) from exc
    record_cli(ctx, "agency.rotate", me.name, {"key_id": new.key_id, "retired": old})
    report(
        as_json,
        {"fingerprint": new.fingerprint},
        f"new active key {new.fingerprint}; export the card and send it to partners",
    )


@agency_app.command("passphrase")
def passphrase_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Change the passphrase that protects this agency's private keys."""
    home = settings_of(ctx).home
    try:
        me = identities.load(home)
        old = passphrase()
        new = secret(NEW_PASSPHRASE_ENV, "New key passphrase", confirm=True)
        identities.change_passphrase(me, old, new)
        identities.save(home, me)
    except ExchangeError as exc:
        raise fail(f"{exc} (the passphrase was not changed)") from exc
    record_cli(ctx, "agency.passphrase", me.name, {"key_generations": len(me.sealed)})
    report(
        as_json,
        {"key_generations": len(me.sealed)},
        f"passphrase changed for {len(me.sealed)} key generation(s)",
    )


@agency_app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    key: Annotated[str, typer.Option("--key", help="Key id or fingerprint (prefix) to revoke.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, e.g. 'laptop stolen'.")],
    as_json: JsonFlag = False,
) -> None:
    """Revoke one of this agency's keys (rotating when it was the active one)."""
    home = settings_of(ctx).home
    try:
        me = identities.load(home)
        before = {k.key_id for k in me.keys if k.status == REVOKED}
        new = identities.revoke(me, key, reason, passphrase())
        identities.save(home, me)
    except ExchangeError as exc:
        raise fail(str(exc)) from exc
    revoked = next(
        (k.key_id for k in me.keys if k.status == REVOKED and k.key_id not in before), key
    )
    record_cli(ctx, "agency.revoke", me.name, {
        "key_id": revoked, "reason": reason, "new_key_id": new.key_id if new else None,
    })  # fmt: skip
    extra = f"; new active key {new.fingerprint}" if new else ""
    report(
        as_json,
        {"revoked": key, "new_fingerprint": new.fingerprint if new else None},
        f"key revoked{extra}; export the card and send it to partners",
    )


@agency_app.command("revoke-partner")
def revoke_partner_command(
    ctx: typer.Context,
    partner: Annotated[str, typer.Argument(help="Partner handle or name.")],
    key: Annotated[str, typer.Option("--key", help="The partner's key id or fingerprint prefix.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. 'phoned: key stolen').")],
    as_json: JsonFlag = False,
) -> None:
    """Distrust one of a partner's keys here: its packages are rejected from now on."""
    with open_store(ctx) as store:
        try:
            marked = revoke_partner_key(store, partner, key, reason)
        except ExchangeError as exc:
            raise fail(str(exc)) from exc
    record_cli(ctx, "agency.revoke-partner", partner, {"key_id": marked.key_id, "reason": reason})
    report(
        as_json,
        {"partner": partner, "fingerprint": marked.fingerprint},
        f"key {marked.fingerprint} of {partner} revoked here",
    )
