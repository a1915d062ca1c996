"""`jalur exchange …`: packages to and from partners, match offers, and the exchange log.

Every entry a command adds to the exchange log (export, import, rejection, offer, match) is
also recorded in the workspace audit trail (`exchange.<action>`, the package id, the entry's
details, and its exchange-log sequence and hash), so `jalur audit show` sees every disclosure
and the workspace chain anchors the exchange chain. `export --case ID` sends a case's subjects
and payments, acting as a signed-in user who works cases.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from rich.table import Table
from sqlalchemy import Engine

from jalur import cases, users
from jalur.audit import acting_user, record_cli
from jalur.clikit import (
    JsonFlag,
    check_out,
    console,
    fail,
    open_store,
    plain,
    print_json,
    print_listing,
    score_text,
    settings_of,
    warn,
)
from jalur.config import ConfigError, Settings
from jalur.exchange import identity as identities
from jalur.exchange import log as exchange_log
from jalur.exchange.agency_cli import passphrase
from jalur.exchange.envelope import largest_sealed
from jalur.exchange.errors import ExchangeError, ImportFailedError, PackageRejectedError
from jalur.exchange.export import ExportRequest, export_package
from jalur.exchange.identity import Identity
from jalur.exchange.importer import ImportReport, import_package
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.log import read_log
from jalur.exchange.log_cli import seal_after, show_log
from jalur.exchange.offer import LocalSubject, local_subjects, make_offer, match_offer
from jalur.exchange.package import DEFAULT_CLASSIFICATION, DEFAULT_LEGAL_BASIS
from jalur.exchange.partners import find_partner
from jalur.exchange.pprl import THRESHOLD
from jalur.exchange.queries import package_details, packages
from jalur.exchange.select import (
    Selection,
    case_selection,
    exchange_provenance,
    parse_terms,
    select_entities,
)
from jalur.inputs import file_problem
from jalur.store import Store

exchange_app = typer.Typer(
    help="Signed, encrypted packages between agencies; privacy-preserving matching.",
    no_args_is_help=True,
)


def _checked_terms(terms: list[str] | None) -> list[str] | None:
    """`--entities` values that are not KIND:VALUE are a usage error (exit 2), named before
    anything is opened (they were found out later and exited 1, the code for a refusal)."""
    try:
        if terms:  # none at all is told later, where `--case` may stand in for them
            parse_terms(terms)
    except ExchangeError as exc:
        raise typer.BadParameter(str(exc)) from None
    return terms


@exchange_app.command("export")
def export_command(
    ctx: typer.Context,
    to: Annotated[list[str], typer.Option("--to", help="Partner(s) to encrypt to (repeatable).")],
    purpose: Annotated[str, typer.Option("--purpose", help="What the recipient may use it for.")],
    out: Annotated[Path, typer.Option("--out", help="Package file to write.")],
    entities: Annotated[
        list[str] | None,
        typer.Option(
            "--entities",
            help="KIND:VALUE (id, list, topic, name, ref, hits); repeat to AND.",
            callback=_checked_terms,
        ),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option("--case", help="A case's subjects and payments (signed in: --user)."),
    ] = None,
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
        list[str] | None,
        typer.Option(
            "--consent",
            help="ORG=TEXT: that originator's consent to pass its data on, one per originator "
            "(repeatable; a plain TEXT when the selection has one originator).",
        ),
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
    if case is not None and entities:
        raise fail("give --case or --entities, not both", code=2)
    check_out(out)
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
        consents=tuple(consent or ()),
        confirm=confirm,
        confirm_above=limits.confirm_above,
    )
    with ExitStack() as stack:
        acting = stack.enter_context(_case_user(ctx, case)) if case else None
        store = stack.enter_context(open_store(ctx))
        stack.enter_context(_audited(ctx, store, acting[1].name if acting else None))
        try:
            me = identities.load(settings.home)
            recipients = [find_partner(store, p) for p in to]
            if acting and case:
                selection, payments = _case_selection(store, *acting, case, bool(consent))
            else:
                selection, payments = select_entities(store, entities or []), None
                _lists_may_leave(ctx, selection, consented=bool(consent))
            manifest, sealed = export_package(
                store, me, passphrase(), recipients, selection, request, payments
            )
        except ExchangeError as exc:
            raise fail(f"{exc} (nothing was exported)") from exc
        finally:
            seal_after(ctx, store)
    out.write_bytes(sealed)
    if acting and case:
        _note_case_export(ctx, case, acting[1], manifest, out)
    if as_json:
        print_json(manifest)
        return
    contents = manifest["contents"]
    console.print(
        f"package {manifest['package_id']} → "
        f"{', '.join(r['agency'] for r in manifest['recipients'])}: "
        f"{contents['entities']['count']} entities, {contents['transactions']['rows']} payments, "
        f"{manifest['classification']}, expires {manifest['expires']} → {out}",
        markup=False,
    )


@exchange_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Package file from a partner.")],
    as_json: JsonFlag = False,
) -> None:
    """Verify and store a partner's package (rejected ones store nothing, but are logged)."""
    with open_store(ctx) as store, _audited(ctx, store, None):
        try:
            me = identities.load(settings_of(ctx).home)
            limits = _limits(settings_of(ctx))
            data = _read(store, file, limits, "package")
            with users.open_sql(ctx) as engine:
                report = _import_marked(ctx, store, engine, me, data, str(file), limits)
        except ExchangeError as exc:
            raise fail(f"{exc} (nothing was stored)") from exc
        finally:
            seal_after(ctx, store)
    _warn_dropped(report)
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
        + (
            f"; {len(report.dropped)} property values dropped (named above)"
            if report.dropped
            else ""
        ),
        markup=False,
    )
    console.print(
        f"[bold]{plain(report.classification)}[/]; caveats: " + plain("; ".join(report.caveats))
    )
    for link in report.links:
        console.print(
            f"  {link.entity_id} ↔ {link.local_list}/{link.local_entity_id} ({link.reason})",
            markup=False,
        )


#: Dropped values warned about one by one; the rest are counted (all are in each entity).
_WARNED_DROPS = 50


def _warn_dropped(report: ImportReport) -> None:
    """Each value of the partner's entities that FtM did not keep, on stderr: the record, the
    property, the value (escaped) and why."""
    for item in report.dropped[:_WARNED_DROPS]:
        warn(item.describe())
    more = len(report.dropped) - _WARNED_DROPS
    if more > 0:
        warn(
            f"{more} more property values dropped (`--json` lists up to 1000; each entity's own "
            "in `jalur exchange show --json`)"
        )


def _import_marked(
    ctx: typer.Context, store: Store, engine: Engine, me: Identity, data: bytes, name: str,
    limits: ExchangeLimits,
) -> ImportReport:  # fmt: skip
    """Import and mark the package as the service does, the marking written before the
    analytical store commits (imported data is never visible unmarked): the installation's
    agency's, at the partner's classification, with EGMONT and the partner's caveat codes; the
    partner's exchange watchlist tightened to it. A rejected package stores nothing but its
    log entry; one whose classification we do not know stores nothing, audited."""
    rejected: PackageRejectedError | None = None
    try:
        with store.transaction():
            try:
                report = import_package(store, me, passphrase(), data, name, limits=limits)
            except PackageRejectedError as exc:
                rejected = exc  # its log entry is kept: the transaction commits
            else:
                _mark_import(engine, report, acting_user(ctx)[0])
    except _UnknownClassificationError as exc:
        record_cli(ctx, "exchange.import-refused", name, {"reason": str(exc)})
        raise ExchangeError(f"{name}: rejected: {exc}") from exc
    except ImportFailedError as exc:  # its log entry went with this transaction's rollback
        exchange_log.log_failed_import(store, exc)
        raise
    if rejected is not None:
        raise rejected
    return report


class _UnknownClassificationError(ValueError):
    """A partner's classification no clearance here compares with."""


def _mark_import(engine: Engine, report: ImportReport, by: str) -> None:
    with engine.begin() as con:
        try:
            marking = users.incoming_marking(
                users.default_agency(con), report.classification, report.caveats
            )
        except ValueError as exc:
            raise _UnknownClassificationError(str(exc)) from exc
        users.mark(con, "package", report.package_id, marking, by)
        if report.watchlist:
            users.tighten(con, "list", report.watchlist, marking, by)


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
    consent: Annotated[
        str | None,
        typer.Option(
            "--consent",
            help="The originator's consent to offer lists marked EGMONT or NO-ONWARD (recorded).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Encode this agency's subjects for one partner to match (names never leave)."""
    check_out(out)
    with open_store(ctx) as store, _audited(ctx, store, None):
        try:
            me = identities.load(settings_of(ctx).home)
            partner = find_partner(store, to)
            subjects = _own_subjects(ctx, local_subjects(store, lists), lists, consent)
            manifest, sealed = make_offer(
                store, me, passphrase(), partner, subjects, purpose, expires_days
            )
        except ExchangeError as exc:
            raise fail(str(exc)) from exc
        finally:
            seal_after(ctx, store)
    out.write_bytes(sealed)
    if consent and consent.strip():
        offered = sorted({s.list_name for s in subjects})
        record_cli(ctx, "exchange.consent", manifest["offer_id"],
                   {"consent": consent.strip(), "sources": offered})  # fmt: skip
    summary = {k: manifest[k] for k in ("offer_id", "subjects", "names", "created", "expires")}
    if as_json:
        print_json(summary)
        return
    console.print(
        f"offer {manifest['offer_id']} to {partner.name}: {manifest['subjects']} subjects "
        f"({manifest['names']} names) encoded → {out}",
        markup=False,
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
    if out:
        check_out(out)  # a matched offer is recorded: a second try would be a replay
    with open_store(ctx) as store, _audited(ctx, store, None):
        try:
            me = identities.load(settings_of(ctx).home)
            data = _read(store, file, _limits(settings_of(ctx)), "match-offer")
            result = match_offer(store, me, passphrase(), data, str(file), lists, threshold)
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
        f"{len(result['hits'])} candidate hits",
        markup=False,
    )
    table = Table("similarity", "their ref", "our subject", "name", "birth date", "identifier")
    for hit in result["hits"][:50]:
        f = hit["features"]
        table.add_row(
            score_text(hit["similarity"]),  # three digits, as the threshold is given
            plain(hit["ref"]),
            plain(f"{hit['local_caption']} ({hit['local_entity_id']})"),
            score_text(f["name"]),
            {1: "agrees", -1: "differs", 0: "?"}[f["birth_date"]],
            "same" if f["identifier"] else "",
        )
    console.print(table)


@exchange_app.command("packages")
def packages_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Packages sent and received."""
    with open_store(ctx) as store:
        rows = packages(store)
    print_listing(
        as_json,
        rows,
        ("package", "direction", "partner", "created", "expires", "entities", "payments",
         "classification"),
        ((r["package_id"], r["direction"], r["partner"], r["created"], r["expires"],
          str(r["entities"]), str(r["transactions"]), r["classification"]) for r in rows),
    )  # fmt: skip


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
        f"[bold]{plain(m['classification'])}[/] package {plain(m['package_id'])} "
        f"from {plain(details['partner_name'])}, "
        f"purpose: {plain(m['purpose'])}; legal basis: {plain(m.get('legal_basis'))}"
    )
    console.print("caveats: " + "; ".join(m["caveats"]), markup=False)
    for e in details["entities"]:
        console.print(
            f"  {plain(e['schema'])} {plain(_inert(e['caption']))} "
            f"\\[{plain(_inert(e['entity_id']))}] caveats: {len(e['caveats'])}"
        )
    for t in details["transactions"]:
        console.print(
            f"  payment {_inert(t['tx_id'])} {t['timestamp'][:10]} {_inert(t['orig_name'])} → "
            f"{_inert(t['bene_name'])} {t['amount']:,.2f} {_inert(t['currency'])}",
            markup=False,
        )
    for link in details["links"]:
        console.print(
            f"  link {link['entity_id']} ↔ {link['local_list']}/{link['local_entity_id']} "
            f"({link['reason']})",
            markup=False,
        )


#: Bidirectional embeddings, overrides and isolates: U+202E makes a terminal show what follows
#: reversed, so a name can display as another (a partner's payment text is never reordered).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _inert(value: object) -> str:
    """A partner's text as the terminal should show it: control characters (`\\x1b[2J` clears
    the screen, `\\x1b]0;…` retitles the window) and bidi overrides written as escapes, so
    the text can neither redraw nor reorder the listing it sits in."""
    return "".join(
        ch.encode("unicode_escape").decode() if unicodedata.category(ch) == "Cc" or ch in _BIDI
        else ch
        for ch in str(value)
    )  # fmt: skip


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


@contextmanager
def _audited(ctx: typer.Context, store: Store, signed_in_as: str | None) -> Iterator[None]:
    """Mirror each exchange-log entry the command adds into the workspace audit trail."""
    before = _log_head(store)
    try:
        yield
    finally:
        for entry in read_log(store):
            if entry.seq <= before:
                continue
            details = {**entry.detail, "partner": entry.partner,
                       "exchange_log": {"seq": entry.seq, "hash": entry.hash}}  # fmt: skip
            record_cli(ctx, f"exchange.{entry.action}", entry.package_id, details,
                       signed_in_as=signed_in_as)  # fmt: skip


def _log_head(store: Store) -> int:
    entries = read_log(store)
    return entries[-1].seq if entries else 0


@contextmanager
def _case_user(ctx: typer.Context, case_id: str) -> Iterator[tuple[Engine, users.User]]:
    """The signed-in user who discloses the case: one who works cases (analyst, supervisor)."""
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.WORK_CASES, f"export case {case_id}")
        yield engine, me


def _case_selection(
    store: Store, engine: Engine, me: users.User, case_id: str, consented: bool
) -> tuple[Selection, pa.Table]:
    """The case's subjects (and the entities describing them) and its payments, for a user of
    the agency that works the case: checked before anything is built, so another agency's case
    (or one only shared with this user's agency to read) never leaves in a package, and one
    marked `EGMONT` or `NO-ONWARD` leaves only with a `--consent` (as over the API)."""
    try:
        cases.require_owner(engine, me, case_id, "export")
    except (cases.CaseError, cases.WorkflowError) as exc:
        raise ExchangeError(str(exc)) from exc
    with engine.connect() as con:
        found = users.markings_of(con, "case", users.default_agency(con)).get(case_id)
    if found is not None and users.no_onward(found.caveats) and not consented:
        raise ExchangeError(
            f"case {case_id} carries {', '.join(found.caveats)}: it may not be sent onward "
            "without the originator's consent; record it with --consent TEXT"
        )
    details = cases.case_details(engine, case_id)
    if details is None:
        raise ExchangeError(f"no case {case_id}")
    return case_selection(store, case_id, details)


def _note_case_export(
    ctx: typer.Context, case_id: str, me: users.User, manifest: dict[str, Any], out: Path
) -> None:
    """The case's timeline (and the audit trail, in the same transaction) says what left."""
    details = {
        "package_id": manifest["package_id"],
        "recipients": [r["agency"] for r in manifest["recipients"]],
        "entities": manifest["contents"]["entities"]["count"],
        "payments": manifest["contents"]["transactions"]["rows"],
        "purpose": manifest["purpose"],
        "file": out.name,
    }
    with users.open_sql(ctx) as engine:
        try:
            cases.record_export(engine, me, case_id, details)
        except (cases.CaseError, cases.WorkflowError) as exc:
            raise fail(
                f"the package was written to {out}, but the case was not updated: {exc}"
            ) from exc


def _list_owners(ctx: typer.Context) -> tuple[str, dict[str, users.Marking]]:
    """The installation's own agency and the lists' markings (an unmarked list is its own)."""
    with users.open_sql(ctx) as engine, engine.connect() as con:
        own = users.default_agency(con)
        return own, users.markings_of(con, "list", own)


def _foreign(name: str, owner: str) -> ExchangeError:
    return ExchangeError(
        f"list {name} is agency {owner}'s (loaded through the service): only agency {owner} "
        "sends it onward; leave it out of the selection"
    )


def _lists_may_leave(ctx: typer.Context, selection: Selection, consented: bool) -> None:
    """The command line speaks for the installation's own agency, as the service's exports
    do (`Access.require_onward`): a list another agency loaded through the service never
    leaves from here, and one the agency marked `EGMONT` or `NO-ONWARD` leaves only with a
    `--consent`. A partner's entities (their provenance on them) need each originator's
    consent, which `export_package` checks by name."""
    own, marks = _list_owners(ctx)
    ours = {selection.lists[str(e.id)] for e in selection.entities if not exchange_provenance(e)}
    for name in sorted(set(selection.lists.values())):
        found = marks.get(name)
        if found is None:
            continue
        if found.agency != own:
            raise _foreign(name, found.agency)
        if name in ours and users.no_onward(found.caveats) and not consented:
            raise ExchangeError(
                f"list {name} carries {', '.join(found.caveats)}: it may not be sent onward "
                "without the originator's consent; record it with --consent TEXT"
            )


def _own_subjects(
    ctx: typer.Context, subjects: list[LocalSubject], asked: list[str] | None, consent: str | None
) -> list[LocalSubject]:
    """An offer's subjects from the agency's own lists: a list of another agency's named in
    `--lists` is refused, and left out of every list (as the service's offers do); a list
    marked `EGMONT` or `NO-ONWARD` is offered only with a consent (the partner can test
    guesses against an offer's subjects: it discloses them)."""
    own, marks = _list_owners(ctx)
    foreign = {n: m.agency for n, m in marks.items() if m.agency != own}
    for name in asked or []:
        if name in foreign:
            raise _foreign(name, foreign[name])
    chosen = [s for s in subjects if s.list_name not in foreign]
    if not (consent and consent.strip()):
        for name in sorted({s.list_name for s in chosen}):
            found = marks.get(name)
            if found is not None and users.no_onward(found.caveats):
                raise ExchangeError(
                    f"list {name} carries {', '.join(found.caveats)}: it may not be offered "
                    "without the originator's consent; record it with --consent TEXT, or "
                    "leave it out with --lists"
                )
    return chosen


def _limits(settings: Settings) -> ExchangeLimits:
    try:
        return ExchangeLimits.from_section(settings.section("exchange"))
    except (ExchangeError, ConfigError) as exc:
        raise fail(str(exc)) from exc


def _read(store: Store, file: Path, limits: ExchangeLimits, kind: str) -> bytes:
    """The sealed file's bytes, if it can be a package or offer within `[exchange]`'s bounds.

    A sealed file is held in memory whole (its signature covers all of it), so its size is
    checked before it is read: a file larger than any payload we would unpack is refused,
    and logged like every other refusal, without filling memory with it.
    """
    problem = file_problem(file)
    if problem:  # a FIFO or a device reads 0 bytes long and never ends
        raise ExchangeError(f"{file}: {problem}")
    try:
        size = file.stat().st_size
        if size <= largest_sealed(limits.max_payload_bytes):
            return file.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"{file}: cannot read: {exc.strerror}") from exc
    reason = (
        f"the file is {size} bytes, larger than any package within [exchange] "
        f"max_payload_bytes ({limits.max_payload_bytes}) could be; it was not read"
    )
    detail = {"file": str(file), "kind": kind, "bytes": size, "reason": reason}
    exchange_log.append(store, "import-rejected", None, None, detail)
    raise PackageRejectedError(str(file), reason)
