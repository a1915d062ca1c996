"""`jalur exchange …`: packages to and from partners, match offers, and the exchange log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jalur.clikit import console, fail, open_store, print_json, settings_of
from jalur.config import ConfigError, Settings
from jalur.exchange import identity as identities
from jalur.exchange.agency_cli import passphrase
from jalur.exchange.errors import ExchangeError
from jalur.exchange.export import ExportRequest, export_package
from jalur.exchange.importer import import_package
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.log_cli import seal_after, show_log
from jalur.exchange.offer import local_subjects, make_offer, match_offer
from jalur.exchange.package import DEFAULT_CLASSIFICATION, DEFAULT_LEGAL_BASIS
from jalur.exchange.partners import find_partner
from jalur.exchange.pprl import THRESHOLD
from jalur.exchange.queries import package_details, packages
from jalur.exchange.select import select_entities

exchange_app = typer.Typer(
    help="Signed, encrypted packages between agencies; privacy-preserving matching.",
    no_args_is_help=True,
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
CASES_MISSING = (
    "--case: jalur has no cases yet (case management is not built), so a case cannot be "
    "exported; select its subjects with --entities instead (id:…, list:…, topic:…, name:…)"
)


@exchange_app.command("export")
def export_command(
    ctx: typer.Context,
    to: Annotated[list[str], typer.Option("--to", help="Partner(s) to encrypt to (repeatable).")],
    purpose: Annotated[str, typer.Option("--purpose", help="What the recipient may use it for.")],
    out: Annotated[Path, typer.Option("--out", help="Package file to write.")],
    entities: Annotated[
        list[str] | None,
        typer.Option(
            "--entities", help="KIND:VALUE (id, list, topic, name, ref, hits); repeat to AND."
        ),
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="Case id (not available yet).")] = None,
    caveat: Annotated[
        list[str] | None, typer.Option("--caveat", help="Extra handling caveat.")
    ] = None,
    classification: Annotated[str, typer.Option("--classification")] = DEFAULT_CLASSIFICATION,
    legal_basis: Annotated[str, typer.Option("--legal-basis")] = DEFAULT_LEGAL_BASIS,
    in_reply_to: Annotated[
        str | None, typer.Option("--in-reply-to", help="The request (or offer) this answers.")
    ] = None,
    expires_days: Annotated[int, typer.Option("--expires-days", help="Usable for this long.")] = 90,
    no_transactions: Annotated[bool, typer.Option("--no-transactions")] = False,
    consent: Annotated[
        str | None, typer.Option("--consent", help="Originator's consent to pass its data on.")
    ] = None,
    confirm: Annotated[
        int | None,
        typer.Option(
            "--confirm",
            help="The number of subjects selected, to confirm an export larger than "
            "[exchange] confirm_above (default 50).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Package entities and their payments, encrypted to the partners, signed by this agency."""
    if case is not None:
        raise fail(CASES_MISSING, code=2)
    settings = settings_of(ctx)
    limits = _limits(settings)
    request = ExportRequest(
        purpose=purpose,
        caveats=tuple(caveat or ()),
        legal_basis=legal_basis,
        classification=classification,
        in_reply_to=in_reply_to,
        expires_days=expires_days,
        include_transactions=not no_transactions,
        consent=consent,
        confirm=confirm,
        confirm_above=limits.confirm_above,
    )
    with open_store(ctx) as store:
        try:
            me = identities.load(settings.home)
            recipients = [find_partner(store, p) for p in to]
            selection = select_entities(store, entities or [])
            manifest, sealed = export_package(
                store, me, passphrase(), recipients, selection, request
            )
        except ExchangeError as exc:
            raise fail(f"{exc} (nothing was exported)") from exc
        finally:
            seal_after(ctx, store)
    out.write_bytes(sealed)
    if as_json:
        print_json(manifest)
        return
    contents = manifest["contents"]
    console.print(
        f"package {manifest['package_id']} → "
        f"{', '.join(r['agency'] for r in manifest['recipients'])}: "
        f"{contents['entities']['count']} entities, {contents['transactions']['rows']} payments, "
        f"{manifest['classification']}, expires {manifest['expires']} → {out}"
    )


@exchange_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Package file from a partner.")],
    as_json: JsonFlag = False,
) -> None:
    """Verify and store a partner's package (rejected ones store nothing, but are logged)."""
    with open_store(ctx) as store:
        try:
            me = identities.load(settings_of(ctx).home)
            report = import_package(
                store, me, passphrase(), _read(file), str(file), limits=_limits(settings_of(ctx))
            )
        except ExchangeError as exc:
            raise fail(f"{exc} (nothing was stored)") from exc
        finally:
            seal_after(ctx, store)
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"package {report.package_id} from {report.partner}: {report.entities} entities, "
        f"{report.transactions} payments, {len(report.links)} linked to local subjects"
        + (
            f", watchlist {report.watchlist} now {report.watchlist_entries} entries"
            if report.watchlist
            else ""
        )
    )
    console.print(f"[bold]{report.classification}[/]; caveats: " + "; ".join(report.caveats))
    for link in report.links:
        console.print(
            f"  {link.entity_id} ↔ {link.local_list}/{link.local_entity_id} ({link.reason})"
        )


@exchange_app.command("match-offer")
def match_offer_command(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The partner who may match it.")],
    out: Annotated[Path, typer.Option("--out", help="Offer file to write.")],
    lists: Annotated[
        list[str] | None, typer.Option("--lists", help="Offer only these lists.")
    ] = None,
    purpose: Annotated[str, typer.Option("--purpose")] = "find common subjects (CTF)",
    expires_days: Annotated[int, typer.Option("--expires-days")] = 30,
    as_json: JsonFlag = False,
) -> None:
    """Encode this agency's subjects for one partner to match (names never leave)."""
    with open_store(ctx) as store:
        try:
            me = identities.load(settings_of(ctx).home)
            partner = find_partner(store, to)
            subjects = local_subjects(store, lists)
            manifest, sealed = make_offer(
                store, me, passphrase(), partner, subjects, purpose, expires_days
            )
        except ExchangeError as exc:
            raise fail(str(exc)) from exc
        finally:
            seal_after(ctx, store)
    out.write_bytes(sealed)
    summary = {k: manifest[k] for k in ("offer_id", "subjects", "names", "created", "expires")}
    if as_json:
        print_json(summary)
        return
    console.print(
        f"offer {manifest['offer_id']} to {partner.name}: {manifest['subjects']} subjects "
        f"({manifest['names']} names) encoded → {out}"
    )


@exchange_app.command("match")
def match_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A partner's match offer.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the hits as JSON.")] = None,
    lists: Annotated[
        list[str] | None, typer.Option("--lists", help="Match only these lists.")
    ] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = THRESHOLD,
    as_json: JsonFlag = False,
) -> None:
    """Compare a partner's offer with this agency's subjects: candidate hits only."""
    with open_store(ctx) as store:
        try:
            me = identities.load(settings_of(ctx).home)
            result = match_offer(store, me, passphrase(), _read(file), str(file), lists, threshold)
        except ExchangeError as exc:
            raise fail(str(exc)) from exc
        finally:
            seal_after(ctx, store)
    if out:
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if as_json:
        print_json(result)
        return
    console.print(
        f"offer {result['offer_id']} from {result['partner']}: {result['offered_subjects']} "
        f"offered × {result['local_subjects']} local subjects → "
        f"{len(result['hits'])} candidate hits"
    )
    table = Table("similarity", "their ref", "our subject", "name", "birth date", "identifier")
    for hit in result["hits"][:50]:
        f = hit["features"]
        table.add_row(
            f"{hit['similarity']:.2f}",
            hit["ref"],
            f"{hit['local_caption']} ({hit['local_entity_id']})",
            f"{f['name']:.2f}",
            {1: "agrees", -1: "differs", 0: "?"}[f["birth_date"]],
            "same" if f["identifier"] else "",
        )
    console.print(table)


@exchange_app.command("packages")
def packages_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Packages sent and received."""
    with open_store(ctx) as store:
        rows = packages(store)
    if as_json:
        print_json(rows)
        return
    table = Table(
        "package",
        "direction",
        "partner",
        "created",
        "expires",
        "entities",
        "payments",
        "classification",
    )
    for r in rows:
        table.add_row(
            r["package_id"],
            r["direction"],
            r["partner"],
            r["created"],
            r["expires"],
            str(r["entities"]),
            str(r["transactions"]),
            r["classification"],
        )
    console.print(table)


@exchange_app.command("show")
def show_command(ctx: typer.Context, package_id: str, as_json: JsonFlag = False) -> None:
    """A received package: its manifest, entities (with caveats) and links."""
    with open_store(ctx) as store:
        try:
            details = package_details(store, package_id)
        except ExchangeError as exc:
            raise fail(str(exc)) from exc
    if as_json:
        print_json(details)
        return
    m = details["manifest"]
    console.print(
        f"[bold]{m['classification']}[/] package {m['package_id']} from {details['partner_name']}, "
        f"purpose: {m['purpose']}; legal basis: {m.get('legal_basis')}"
    )
    console.print("caveats: " + "; ".join(m["caveats"]))
    for e in details["entities"]:
        console.print(
            f"  {e['schema']} {e['caption']} [{e['entity_id']}] caveats: {len(e['caveats'])}"
        )
    for t in details["transactions"]:
        console.print(
            f"  payment {t['tx_id']} {t['timestamp'][:10]} {t['orig_name']} → {t['bene_name']} "
            f"{t['amount']:,.2f} {t['currency']}"
        )
    for link in details["links"]:
        console.print(
            f"  link {link['entity_id']} ↔ {link['local_list']}/{link['local_entity_id']} "
            f"({link['reason']})"
        )


@exchange_app.command("log")
def log_command(
    ctx: typer.Context,
    verify: Annotated[
        bool,
        typer.Option("--verify", help="Check hashes and signed seals; fail if anything is wrong."),
    ] = False,
    seal: Annotated[
        bool, typer.Option("--seal", help="Sign the newest entry with this agency's key first.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """The append-only exchange log (every export, import, rejection, offer, match)."""
    show_log(ctx, verify=verify, seal=seal, as_json=as_json)


def _limits(settings: Settings) -> ExchangeLimits:
    try:
        return ExchangeLimits.from_section(settings.section("exchange"))
    except (ExchangeError, ConfigError) as exc:
        raise fail(str(exc)) from exc


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"{file}: cannot read: {exc.strerror}") from exc
