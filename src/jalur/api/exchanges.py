"""Exchange over the API: packages to and from partners, match offers, the exchange log.

The installation has one exchange identity (`jalur agency init`: keys under the workspace's
home), and it speaks for the installation's own agency, so only that agency's users export,
import, offer and compare; the others are refused (403) and see no package, offer or log entry.
The private keys stay locked under their passphrase, which the server takes from its own
environment (`JALUR_PASSPHRASE`, as the command line's scripts do), never from a request.

Who sees what is `Access`'s rule, applied to markings of kind `package` (package and offer
ids). A package we send is marked the strictest of the lists its subjects came from (and the
classification the sender gives it); a package we receive is the importing agency's, at the
classification the partner gave it, with `EGMONT` and every caveat code the partner stated;
the partner's exchange watchlist is tightened to the same. Each marking is written before the
analytical store commits, so imported data is never visible unmarked. Subjects leave only from
lists the caller sees, and a list carrying a no-onward caveat only with a recorded consent
(`Access.require_onward`, the rule list exports, shares and reports use).

A partner's file is hostile input: it is read with the upload limit, verified and decrypted by
the exchange capability, and nothing in it becomes SQL text, a path or a selection; a refused
package stores nothing (its rejection is written to the exchange log, as on the command line).
Every exchange-log entry a request adds is mirrored into the audit trail as `exchange.<action>`,
as the command line does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from jalur import audit, cases
from jalur.api.access import Access
from jalur.api.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnavailableError,
    UnprocessableError,
)
from jalur.config import ConfigError, private_dir
from jalur.exchange import (
    ExchangeError,
    ExchangeLimits,
    ExportRequest,
    Identity,
    ImportFailedError,
    PackageRejectedError,
    Selection,
    case_selection,
    check_log,
    export_package,
    find_partner,
    import_package,
    load_identity,
    local_subjects,
    log_failed_import,
    make_offer,
    match_offer,
    package_details,
    packages,
    read_log,
    seal_head,
    select_entities,
)
from jalur.store import Store
from jalur.users import Marking, incoming_marking, strictest, tighten

logger = logging.getLogger(__name__)
PASSPHRASE_ENV = "JALUR_PASSPHRASE"
#: Selection terms a caller may use (`hits:FILE` names a file on the server: not over the API).
TERMS = ("id", "list", "topic", "name", "ref")
#: Package and offer ids as this and every jalur installation makes them (uuid4 hex).
_ID = re.compile(r"^[0-9a-f]{32}$")
_WATCHLIST_PREFIX = "exchange-"


@dataclass(frozen=True)
class ExportOrder:
    """What the caller asks to send (the CLI's `jalur exchange export` options)."""

    to: list[str]
    purpose: str
    entities: list[str]
    case: str | None
    caveats: list[str]
    classification: str
    legal_basis: str | None
    in_reply_to: str | None
    expires_days: int
    include_transactions: bool
    consent: str | None
    confirm: int | None
    consents: dict[str, str] | None = None  # originator → its consent (several originators)


class Exchanges:
    """One caller's exchange with partners, through their `Access`."""

    def __init__(self, access: Access) -> None:
        self.access = access
        self.service = access.service
        self.workspace = access.service.settings.workspace

    # --- who may, and with which keys ----------------------------------------------------

    def require_own(self) -> None:
        """Only the agency the exchange identity speaks for exports, imports and matches."""
        if self.access.agency != self.access.default_agency:
            raise ForbiddenError(
                f"this installation exchanges with partners as agency "
                f"{self.access.default_agency}: agency {self.access.agency} has no exchange "
                "identity here"
            )

    def _keys(self) -> tuple[Identity, str]:
        try:
            identity = load_identity(self.workspace.home)
        except ExchangeError as exc:
            raise UnavailableError(str(exc)) from exc
        secret = os.environ.get(PASSPHRASE_ENV)
        if not secret:
            raise UnavailableError(
                f"the agency's keys are locked: start the service with {PASSPHRASE_ENV} set"
            )
        return identity, secret

    def _limits(self) -> ExchangeLimits:
        try:
            return ExchangeLimits.from_section(self.workspace.section("exchange"))
        except (ExchangeError, ConfigError) as exc:
            raise UnavailableError(str(exc)) from exc

    def _outbox(self) -> Path:
        folder = self.workspace.home / "exchange" / "outbox"
        private_dir(folder)
        return folder

    @contextmanager
    def _writing(self, keys: tuple[Identity, str]) -> Iterator[Store]:
        """The analytical store's writer; the exchange-log entries written meanwhile go to the
        audit trail afterwards (those rolled back do not: nothing of them was kept), and the
        log's new head is sealed with the agency's key, as the command line does."""
        with self.service.analytic.writer() as store:
            before = {e.seq for e in read_log(store)}
            try:
                yield store
            finally:
                self._mirror(store, before)
                try:
                    seal_head(store, *keys, self.workspace.seals_path)
                except (ExchangeError, OSError) as exc:  # the answer stands; the log says why
                    logger.warning("the exchange log was not sealed: %s", exc)

    def _mirror(self, store: Store, before: set[int]) -> None:
        for entry in read_log(store):
            if entry.seq in before:
                continue
            details = {**entry.detail, "partner": entry.partner,
                       "exchange_log": {"seq": entry.seq, "hash": entry.hash}}  # fmt: skip
            audit.record(
                self.access.engine, self.access.user.name, f"exchange.{entry.action}",
                entry.package_id, details,
            )  # fmt: skip

    def _mark(self, ref: str, marking: Marking) -> None:
        with self.access.engine.begin() as con:
            tighten(con, "package", ref, marking, self.access.user.name)

    def _seen(self, ref: str, what: str) -> Marking:
        found = self.access.marking("package", ref)
        if not self.access.sees(found):
            raise NotFoundError(f"no {what} {ref}")
        return found

    # --- packages out ----------------------------------------------------------------------

    def export(self, order: ExportOrder) -> dict[str, Any]:
        """Seal the selected subjects (and their payments) to the partners; the package is kept
        for download and marked the strictest of its sources."""
        self.require_own()
        own = self.access.new_marking(order.classification, ())
        terms = _terms(order.entities) if order.case is None else []
        keys = identity, secret = self._keys()
        limits = self._limits()
        request = ExportRequest(
            purpose=order.purpose, caveats=tuple(order.caveats),
            classification=own.classification, in_reply_to=order.in_reply_to,
            expires_days=order.expires_days, include_transactions=order.include_transactions,
            consent=order.consent, confirm=order.confirm, confirm_above=limits.confirm_above,
            consents=tuple(f"{k}={v}" for k, v in (order.consents or {}).items()),
            **({"legal_basis": order.legal_basis} if order.legal_basis else {}),
        )  # fmt: skip
        # the consent the markings record: the plain one, else the originators' together
        stated = order.consent or "; ".join(f"{k}: {v}" for k, v in (order.consents or {}).items())
        # the payments that go along are those the caller sees, never another agency's: the
        # writer's connection sees every load until it is narrowed
        with self._writing(keys) as store, self.access.payments_seen(store), store.transaction():
            try:
                recipients = [find_partner(store, p) for p in order.to]
                if order.case is None:
                    selection, payments = self._select(store, terms), None
                    sources = sorted(set(selection.lists.values()))
                    marks = [self._onward("list", name, stated or None) for name in sources]
                else:
                    sources = [f"case:{order.case}"]
                    marks = [self._onward("case", order.case, stated or None)]
                    selection, payments = self._case(store, order.case)
                manifest, sealed = export_package(
                    store, identity, secret, recipients, selection, request, payments
                )
            except ExchangeError as exc:
                raise UnprocessableError(f"{exc} (nothing was exported)") from exc
            marking = strictest([*marks, own], self.access.agency)
            self._mark(manifest["package_id"], marking)  # before the package is committed
            if order.case is not None:  # the case's timeline says what left, or nothing leaves
                cases.record_export(self.access.engine, self.access.user, order.case, {
                    "package_id": manifest["package_id"],
                    "recipients": [r["agency"] for r in manifest["recipients"]],
                    "entities": manifest["contents"]["entities"]["count"],
                    "payments": manifest["contents"]["transactions"]["rows"],
                    "purpose": manifest["purpose"], "file": f"{manifest['package_id']}.jalur",
                })  # fmt: skip
        (self._outbox() / f"{manifest['package_id']}.jalur").write_bytes(sealed)
        if stated:
            audit.record(self.access.engine, self.access.user.name, "exchange.consent",
                         manifest["package_id"], {"consent": stated,
                                                  "sources": sources})  # fmt: skip
        return {
            "package_id": manifest["package_id"],
            "marking": marking.as_dict(),
            "download": f"/v1/exchange/packages/{manifest['package_id']}/download",
            "manifest": manifest,
        }

    def _case(self, store: Store, case_id: str) -> tuple[Selection, Any]:
        """A case's subjects and payments, as `jalur exchange export --case` sends them."""
        return case_selection(store, case_id, self.access.case(case_id))

    def _select(self, store: Store, terms: list[str]) -> Selection:
        """The caller's terms, narrowed to the lists they see (the terms sent are theirs)."""
        shown = [n for n in self.access.visible_lists() if "," not in n]
        if not shown:
            raise ExchangeError(f"no subject you may see matches {' AND '.join(terms)}")
        try:
            found = select_entities(store, [*terms, "list:" + ",".join(shown)])
        except ExchangeError as exc:
            if str(exc).startswith("no current list subject matches"):
                raise ExchangeError(
                    f"no subject you may see matches {' AND '.join(terms)}"
                ) from exc
            raise
        return dataclasses.replace(found, terms=tuple(terms))

    def download(self, package_id: str) -> bytes:
        """A package this installation sent, as sealed (the bytes the partners received)."""
        self._seen(package_id, "package")
        path = self._outbox() / f"{package_id}.jalur" if _ID.match(package_id) else None
        if path is None or not path.is_file():
            raise NotFoundError(f"no package {package_id}")
        return path.read_bytes()

    # --- packages in -----------------------------------------------------------------------

    def import_package(self, data: bytes, filename: str) -> dict[str, Any]:
        """Verify, decrypt and store a partner's package with its marking, or store nothing."""
        self.require_own()
        keys = identity, secret = self._keys()
        limits = self._limits()
        rejected: PackageRejectedError | None = None
        try:
            with self._writing(keys) as store, _failed_import_logged(store), store.transaction():
                try:
                    report = import_package(store, identity, secret, data, filename, limits=limits)
                except PackageRejectedError as exc:
                    rejected = exc  # nothing stored; the rejection's log entry is kept
                except ImportFailedError:
                    raise  # out of the transaction first: its log entry is written again
                except ExchangeError as exc:
                    raise UnprocessableError(f"{exc} (nothing was stored)") from exc
                except duckdb.Error as exc:  # a manifest value no column can hold
                    raise _RefusedError(
                        f"its contents cannot be stored ({type(exc).__name__})"
                    ) from exc
                else:
                    marking = _incoming_marking(self.access.agency, report.package_id,
                                                report.classification, report.caveats)  # fmt: skip
                    self._mark(report.package_id, marking)
                    if report.watchlist:
                        with self.access.engine.begin() as con:
                            tighten(con, "list", report.watchlist, marking, self.access.user.name)
        except _RefusedError as exc:
            details = {"reason": exc.reason, "file_sha256": _sha256(data)}
            audit.record(
                self.access.engine, self.access.user.name, "exchange.import-refused", filename,
                details,
            )  # fmt: skip
            raise UnprocessableError(
                f"{filename}: rejected: {exc.reason} (nothing was stored)"
            ) from exc
        if rejected is not None:
            raise UnprocessableError(f"{rejected} (nothing was stored)")
        shown = set(self.access.visible_lists())
        found = report.as_dict()
        found["links"] = [link for link in found["links"] if link["local_list"] in shown]
        return {**found, "marking": marking.as_dict()}

    def packages(self) -> list[dict[str, Any]]:
        """Packages sent and received that the caller sees, oldest first."""
        with self.service.analytic.reader() as store:
            rows = packages(store)
        shown = set(self.access.visible("package", [r["package_id"] for r in rows]))
        return [
            {**r, "marking": self.access.marking("package", r["package_id"]).as_dict()}
            for r in rows
            if r["package_id"] in shown
        ]

    def package(self, package_id: str) -> dict[str, Any]:
        """A package: received ones with their entities, payments and links (to lists the
        caller sees); sent ones with their recipients and manifest summary."""
        marking = self._seen(package_id, "package")
        with self.service.analytic.reader() as store:
            sent = [r for r in packages(store) if r["package_id"] == package_id]
            if not sent:
                raise NotFoundError(f"no package {package_id}")
            received = next((r for r in sent if r["direction"] == "in"), None)
            details = package_details(store, package_id) if received else None
        if details is not None:
            shown = set(self.access.visible_lists())
            details["links"] = [k for k in details["links"] if k["local_list"] in shown]
            return {"package_id": package_id, "direction": "in", "marking": marking.as_dict(),
                    **details}  # fmt: skip
        return {
            "package_id": package_id, "direction": "out", "marking": marking.as_dict(),
            "recipients": [r["partner"] for r in sent], "created": sent[0]["created"],
            "expires": sent[0]["expires"], "entities": sent[0]["entities"],
            "transactions": sent[0]["transactions"],
            "classification": sent[0]["classification"], "caveats": sent[0]["caveats"],
            "download": f"/v1/exchange/packages/{package_id}/download",
        }  # fmt: skip

    # --- match offers ----------------------------------------------------------------------

    def _onward(self, kind: str, ref: str, consent: str | None) -> Marking:
        """A record that may leave for a partner: the caller's agency owns it (a list or case
        another agency shared with it is there to read: only its owner sends it on, as only
        the owner shares it) and a no-onward caveat has a recorded consent."""
        self._own(kind, ref)
        return self.access.require_onward(kind, ref, kind, consent)

    def _own(self, kind: str, ref: str) -> None:
        found = self.access.marking(kind, ref)
        if not self.access.sees(found):  # a hidden record: the words of a missing one
            raise NotFoundError(f"no {kind} {ref}")
        owner = found.agency
        if owner != self.access.agency:
            raise ForbiddenError(
                f"{kind} {ref} is agency {owner}'s, shared with agency {self.access.agency} "
                f"to read: only agency {owner} sends it onward (nothing was sent)"
            )

    def _lists(self, asked: list[str] | None, onward: bool = False) -> list[str]:
        """The caller's own lists to offer or compare with: those asked for (each seen), or
        every list they see; partners' exchange watchlists never. Lists that leave (`onward`:
        an offer) are the agency's own: one shared with it by another agency is refused when
        asked for, and not among every list."""
        shown = self.access.visible_lists()
        for name in asked or []:
            if name not in shown:
                raise NotFoundError(f"no list {name}")
            if onward:
                self._own("list", name)
        if not asked and onward:
            shown = [
                n for n in shown if self.access.marking("list", n).agency == self.access.agency
            ]
        chosen = list(dict.fromkeys(asked)) if asked else shown
        return [n for n in chosen if not n.startswith(_WATCHLIST_PREFIX)]

    def make_offer(
        self, to: str, lists: list[str] | None, purpose: str, expires_days: int, consent: str | None
    ) -> dict[str, Any]:
        """Encode the subjects of the chosen lists for one partner (names never leave)."""
        self.require_own()
        chosen = self._lists(lists, onward=True)
        marks = [self.access.require_onward("list", n, "list", consent) for n in chosen]
        keys = identity, secret = self._keys()
        with self._writing(keys) as store, store.transaction():
            try:
                partner = find_partner(store, to)
                subjects = local_subjects(store, chosen) if chosen else []
                manifest, sealed = make_offer(
                    store, identity, secret, partner, subjects, purpose, expires_days
                )
            except ExchangeError as exc:
                raise UnprocessableError(f"{exc} (no offer was made)") from exc
            marking = strictest(marks, self.access.agency)
            self._mark(manifest["offer_id"], marking)
        (self._outbox() / f"{manifest['offer_id']}.offer").write_bytes(sealed)
        return {
            **{k: manifest[k] for k in ("offer_id", "subjects", "names", "created", "expires")},
            "partner": partner.partner, "lists": chosen, "marking": marking.as_dict(),
            "download": f"/v1/exchange/offers/{manifest['offer_id']}/download",
        }  # fmt: skip

    def offers(self) -> list[dict[str, Any]]:
        """Offers made to partners and partners' offers compared here, that the caller sees."""
        with self.service.analytic.reader() as store:
            entries = [e for e in read_log(store) if e.action in ("match-offer", "match")]
        ids = [e.package_id for e in entries if e.package_id]
        shown = set(self.access.visible("package", ids))
        return [
            {"offer_id": e.package_id, "direction": "out" if e.action == "match-offer" else "in",
             "partner": e.partner, "at": e.at, **e.detail,
             "marking": self.access.marking("package", e.package_id).as_dict()}
            for e in entries
            if e.package_id in shown
        ]  # fmt: skip

    def offer_download(self, offer_id: str) -> bytes:
        self._seen(offer_id, "offer")
        path = self._outbox() / f"{offer_id}.offer" if _ID.match(offer_id) else None
        if path is None or not path.is_file():
            raise NotFoundError(f"no offer {offer_id}")
        return path.read_bytes()

    def compare(
        self, data: bytes, filename: str, lists: list[str] | None, threshold: float | None
    ) -> dict[str, Any]:
        """Compare a partner's offer with the caller's subjects: candidate hits only."""
        self.require_own()
        chosen = self._lists(lists)
        if not chosen:
            raise UnprocessableError("no list of yours to compare the offer with")
        keys = identity, secret = self._keys()
        marks = [self.access.marking("list", n) for n in chosen]
        rejected: PackageRejectedError | None = None
        with self._writing(keys) as store, store.transaction():
            try:
                result = (
                    match_offer(store, identity, secret, data, filename, chosen)
                    if threshold is None
                    else match_offer(store, identity, secret, data, filename, chosen, threshold)
                )
            except PackageRejectedError as exc:
                rejected = exc
            except ExchangeError as exc:
                raise UnprocessableError(f"{exc} (nothing was stored)") from exc
            except duckdb.Error as exc:  # a manifest value no column can hold
                raise UnprocessableError(
                    f"{filename}: rejected: its contents cannot be stored "
                    f"({type(exc).__name__}) (nothing was stored)"
                ) from exc
            else:
                if not _ID.match(str(result["offer_id"])):
                    raise UnprocessableError(
                        f"{filename}: rejected: its offer id is not a jalur id (nothing was stored)"
                    )
                marking = strictest(marks, self.access.agency)
                self._mark(result["offer_id"], marking)
        if rejected is not None:
            raise UnprocessableError(f"{rejected} (nothing was stored)")
        return {**result, "lists": chosen, "marking": marking.as_dict()}

    # --- the log ---------------------------------------------------------------------------

    def log(self) -> dict[str, Any]:
        """Exchange-log entries the caller sees (an entry with no package, such as a refused
        file, is the owning agency's), and whether the whole chain is intact."""
        if self.access.agency != self.access.default_agency:
            return {"entries": [], "intact": None}
        try:
            identity: Identity | None = load_identity(self.workspace.home)
        except ExchangeError:
            identity = None  # hashes can still be checked, seals cannot
        with self.service.analytic.reader() as store:
            entries = read_log(store)
            chain = check_log(store, identity, self.workspace.seals_path)
        ids = [e.package_id for e in entries if e.package_id]
        shown = set(self.access.visible("package", ids))
        return {
            "entries": [
                e.as_dict() for e in entries if e.package_id is None or e.package_id in shown
            ],
            "intact": chain.intact,
            "chain": chain.as_dict(),
        }


class _RefusedError(Exception):
    """A package this service will not store although the exchange capability would."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _incoming_marking(agency: str, package_id: str, classification: Any, caveats: Any) -> Marking:
    """The importing agency's marking of a partner's package (`users.incoming_marking`); a
    package whose id or classification this service cannot use as a marking is refused."""
    if not isinstance(package_id, str) or not _ID.match(package_id):
        raise _RefusedError("its package id is not a jalur id")
    try:
        return incoming_marking(agency, classification, caveats)
    except ValueError as exc:
        raise _RefusedError(str(exc)) from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _terms(entities: list[str]) -> list[str]:
    """The caller's selection terms, KIND:VALUE with a KIND the API allows."""
    for term in entities:
        kind, sep, value = term.partition(":")
        if not sep or kind not in TERMS or not value.strip():
            raise BadRequestError(
                f"entities {term[:80]!r}: expected KIND:VALUE with KIND one of {', '.join(TERMS)}"
            )
    return list(entities)


@contextmanager
def _failed_import_logged(store: Store) -> Iterator[None]:
    """An import that failed while storing: its `import-failed` entry, rolled back with the
    import's transaction (which this wraps), is written again, and the answer is 422."""
    try:
        yield
    except ImportFailedError as exc:
        log_failed_import(store, exc)
        raise UnprocessableError(f"{exc} (nothing was stored)") from exc
