"""The data-access layer: every route reads and changes data through `Access`, and only here is
it decided who sees what.

A user (or API key) acts for an agency with a clearance and a set of caveats. A record is seen
when its owning agency is the user's, or it was shared with the user's agency, AND the user's
clearance is at or above its classification AND they hold every caveat on it (`markings`).
Records inherit: an entity is seen through the lists that hold it, an alert through the
monitoring run that found it, a payment through the load that brought it in (kind `load`), a
case through its own marking (the strictest of its evidence's when opened). Unmarked data
(loaded by the command line) belongs to the installation's default agency, as do accounts'
flags, screening hits and channels, which carry no marking of their own yet.

Payments are narrowed where they are read: every store connection a request or job opens sees,
under the name `transactions`, only the payments of the loads the user sees (`_payment_scope`,
built from marking ids), so an alert's payments, a channel's graph, an account's payments and
case evidence show no other; a monitoring run covers only them and is marked at least as
strictly as they are.

A record the user may not see answers exactly as a record that does not exist: the same
`NotFoundError` with the same wording, absent from lists, searches and counts. Roles are checked
once, when the `Access` is made for a route (`users.require`, audited); markings per record.
Data marked with a no-onward caveat (EGMONT, NO-ONWARD) can be read but not exported or shared
on without a recorded consent (`require_onward`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import select

from jalur import audit, cases, lists, monitoring, screening, transactions
from jalur.api.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
)
from jalur.api.jobs import Progress
from jalur.api.kept import record_read
from jalur.api.networks import network_graph
from jalur.api.service import Service
from jalur.canonical import parse_iso, utcnow
from jalur.config import ConfigError
from jalur.pictures import cytoscape_elements
from jalur.reporting import (
    ReportingError,
    ReportingSettings,
    ReportInvalidError,
    build_report,
    load_profile,
    report_sha256,
)
from jalur.scope import PaymentScope, load_ids, restrict, unrestrict
from jalur.sqlstore import schema, snapshot
from jalur.store import Store
from jalur.users import (
    APPROVE_CASES,
    LOAD_DATA,
    SCREEN,
    WORK_CASES,
    Marking,
    User,
    check_caveats,
    check_classification,
    cleared,
    default_of,
    find_user,
    level,
    list_agencies,
    mark,
    markings_of,
    may,
    no_onward,
    require,
    share,
    strictest,
    tighten,
    unshare,
)

#: The right that starts a job of each kind, and so reads it: a role that may only screen
#: (a bank's client key) reads no monitoring run's, payments load's or list load's counts.
_JOB_RIGHTS = {"screen.batch": SCREEN, "lists.load": LOAD_DATA,
               "transactions.load": LOAD_DATA, "monitor.run": LOAD_DATA}  # fmt: skip

#: Evidence kinds with no marking of their own: workspace data of the default agency.
_UNMARKED_EVIDENCE = ("channel", "hit")
#: Evidence kinds read from the payments the user sees, marked by their loads.
_PAYMENT_EVIDENCE = ("account", "payment")
_EVIDENCE_KINDS = ("alert", "subject", *_PAYMENT_EVIDENCE, *_UNMARKED_EVIDENCE)
_SCREEN_COLUMNS = ("name", "birth_date", "country", "identifier", "schema")
_LOAD_ID = re.compile(r"[1-9][0-9]{0,17}")
#: What may be shared with another agency (and the share taken back), by marking kind.
_SHARED = {"list": "list", "run": "monitoring run", "case": "case", "load": "payments load"}
#: Case evidence kinds that can hold a shared load's data (recalled when the share is revoked).
_RECALLED = ("payment", "account", "alert")


def _load_refs(
    store: Store, load: int, refs: dict[str, list[str]], runs: list[str]
) -> dict[str, set[str]]:
    """Which of `refs` (by evidence kind) came from the load: its payments, the accounts of
    its payments, the alerts of `runs` (the runs over it)."""
    hit: dict[str, set[str]] = {kind: set() for kind in _RECALLED}
    if refs["payment"]:
        hit["payment"] = {
            r[0]
            for r in store.execute(
                "SELECT tx_id FROM transactions WHERE load_id = ? AND tx_id IN (SELECT unnest(?))",
                [load, refs["payment"]],
            ).fetchall()
        }
    if refs["account"]:
        hit["account"] = {
            r[0]
            for r in store.execute(
                "SELECT a FROM (SELECT orig_account AS a FROM transactions WHERE load_id = $1 "
                "UNION SELECT bene_account FROM transactions WHERE load_id = $1) "
                "WHERE a IN (SELECT unnest($2))",
                [load, refs["account"]],
            ).fetchall()
        }
    if refs["alert"] and runs:
        hit["alert"] = {
            r[0]
            for r in store.execute(
                "SELECT alert_id FROM alerts WHERE run_id IN (SELECT unnest(?)) "
                "AND alert_id IN (SELECT unnest(?))",
                [runs, refs["alert"]],
            ).fetchall()
        }
    return hit


class Access:
    """One user's view of the workspace for one request."""

    def __init__(self, service: Service, user: User) -> None:
        self.service = service
        self.user = user
        self.engine = service.engine
        self.default_agency = service.default_agency
        self.agency = user.agency or self.default_agency
        #: Reads of the transactional store go through the readers' engine (no writer lock).
        self.reads = service.reader
        # Read once per request: the markings of each kind, the current list versions.
        self._marks: dict[str, dict[str, Marking]] = {}
        self._versions: list[Any] | None = None

    def _forget(self) -> None:
        """Drop what this request read once: a marking or a list was just written."""
        self._marks.clear()
        self._versions = None

    def _payment_scope(self, store: Store) -> PaymentScope | None:
        """The loads whose payments this user sees (None: every payment of the workspace).

        A load is seen by its marking (kind `load`; a load with none, from the command line, is
        the default agency's), and so are the payments loaded before payments kept their load."""
        transactions.ensure_tables(store)
        loads = load_ids(store)
        # The loads' markings are read after the store's snapshot began, never from earlier in
        # the request (or kept from before it only when this process committed nothing since:
        # `kept`): a load is marked before its first payment is written, so every payment in
        # the snapshot has its marking here (none is taken for the default agency's).
        self._marks.pop("load", None)
        seen = self.visible("load", [str(load) for load in loads])
        unlabelled = self.sees(default_of(self.default_agency))
        if unlabelled and len(seen) == len(loads):
            return None
        return PaymentScope.of((int(load) for load in seen), unlabelled)

    # --- markings --------------------------------------------------------------------------

    def sees(self, marking: Marking) -> bool:
        """The one visibility rule (see the module docstring)."""
        ours = marking.agency == self.agency or self.agency in marking.shared_with
        return ours and cleared(
            self.user.clearance, self.user.caveats, marking.classification, marking.caveats
        )

    def _markings(self, kind: str) -> dict[str, Marking]:
        """Every marking of `kind`, read once per request (not once per record asked about),
        from the markings the service keeps until this process writes (`kept`)."""
        found = self._marks.get(kind)
        if found is None:
            found = self._marks[kind] = self.service.markings.read(kind, lambda: self._read(kind))
        return found

    def _read(self, kind: str) -> dict[str, Marking]:
        with self.reads.connect() as con:
            return markings_of(con, kind, self.default_agency)

    def marking(self, kind: str, ref: str) -> Marking:
        return self._markings(kind).get(ref) or default_of(self.default_agency)

    def visible(self, kind: str, refs: Iterable[str]) -> list[str]:
        """The refs of `kind` this user may see, in the order given."""
        known = self._markings(kind)
        fallback = default_of(self.default_agency)
        return [r for r in refs if self.sees(known.get(r, fallback))]

    def _seen(self, kind: str, ref: str, what: str) -> Marking:
        """The record's marking when the user sees it, else the NotFoundError of a missing one."""
        found = self.marking(kind, ref)
        if not self.sees(found):
            raise NotFoundError(f"no {what} {ref}")
        return found

    def new_marking(self, classification: str | None, caveats: Iterable[str]) -> Marking:
        """The marking of a record this user creates: their agency, what they state (checked:
        nobody marks a record beyond their own clearance and caveats and so loses sight of it)."""
        try:
            chosen = check_classification(classification or "RESTRICTED")
            held = check_caveats(caveats)
        except ValueError as exc:
            raise BadRequestError(str(exc)) from exc
        if level(chosen) > level(self.user.clearance) or not set(held) <= set(self.user.caveats):
            raise BadRequestError(
                f"a record marked {chosen} {list(held)} would be beyond your own clearance "
                f"({self.user.clearance} {list(self.user.caveats)})"
            )
        return Marking(self.agency, chosen, held)

    def require_onward(self, kind: str, ref: str, what: str, consent: str | None) -> Marking:
        """The marking when the record may leave (export, share); refused without consent when a
        caveat forbids onward dissemination. A consent given is recorded with the action."""
        found = self._seen(kind, ref, what)
        if no_onward(found.caveats) and not (consent and consent.strip()):
            audit.record(self.engine, self.user.name, "access.refused", f"{kind}:{ref}", {
                "action": "export or share", "reason": "no onward dissemination without consent",
                "caveats": list(found.caveats),
            })  # fmt: skip
            raise ForbiddenError(
                f"{what} {ref} carries {', '.join(found.caveats)}: it may not be exported or "
                "shared further without the originator's consent (give consent=…, recorded)"
            )
        return found

    def share(self, kind: str, ref: str, agency: str, consent: str | None) -> dict[str, Any]:
        """Let another agency see a record this user's agency owns."""
        what = self._owned(kind, ref)
        other = self._other_agency(agency)
        self.require_onward(kind, ref, what, consent)
        share(self.engine, kind, ref, other, self.user.name, consent)
        self._forget()
        return {"kind": kind, "ref": ref, "shared_with": other}

    def _other_agency(self, agency: str) -> str:
        """An agency of this installation other than the caller's: a share with a mistyped
        code was accepted and waited for whoever would one day be added under that code."""
        code = agency.strip().upper()
        if code == self.agency:
            raise BadRequestError(f"agency {code} is your own: its users see its records already")
        known = {str(a["code"]).upper() for a in list_agencies(self.engine)}
        if code not in known | {self.default_agency}:
            raise BadRequestError(
                f"no agency {code} in this installation (share with one of its agencies)"
            )
        return code

    def revoke(self, kind: str, ref: str, agency: str) -> dict[str, Any]:
        """Take back a share of a record this user's agency owns: from now on the other agency
        reads nothing of it (a load's payments leave its connections' views).

        What the other agency made of a shared load meanwhile stays its own, never deleted: its
        monitoring runs that read the load and its cases whose evidence holds the load's
        payments (or accounts, or alerts of those runs) are listed in the answer (`derived`)
        and the audit entry, and marked: a `share-revoked` event on each case's timeline, a
        `run.share-revoked` audit entry on each run, so its analysts see what to review."""
        what = self._owned(kind, ref)
        other = agency.strip().upper()
        derived = self._derived_from_load(ref, other) if kind == "load" else None
        if not unshare(self.engine, kind, ref, other, self.user.name, derived):
            raise NotFoundError(f"no share of {what} {ref} with {other}")
        if derived:
            self._mark_derived(ref, other, derived)
        self._forget()
        answer: dict[str, Any] = {"kind": kind, "ref": ref, "revoked_from": other}
        if derived is not None:
            answer["derived"] = derived
        return answer

    def _derived_from_load(self, load: str, other: str) -> dict[str, Any]:
        """`other`'s runs over the shared load, and its cases on the load's payments."""
        with self.reads.connect() as con:
            shared = con.execute(
                select(schema.marking_shares.c.shared_at).where(
                    schema.marking_shares.c.kind == "load",
                    schema.marking_shares.c.ref == load,
                    schema.marking_shares.c.agency == other,
                )
            ).first()
        if shared is None:
            return {"runs": [], "cases": {}}
        runs = self._runs_over(int(load), other, str(shared.shared_at))
        return {"runs": runs, "cases": self._cases_on(int(load), other, runs)}

    def _runs_over(self, load: int, other: str, shared_at: str) -> list[str]:
        """`other`'s runs that read the load: by the loads their audit entry names, or, for a
        run from before runs named them, by starting while the share stood."""
        theirs = sorted(r for r, m in self._markings("run").items() if m.agency == other)
        if not theirs:
            return []
        with self.reads.connect() as con:
            rows = con.execute(
                select(schema.audit_log.c.object, schema.audit_log.c.details).where(
                    schema.audit_log.c.action == "monitor.run",
                    schema.audit_log.c.object.in_(theirs),
                )
            ).all()
        named = {row.object: json.loads(row.details).get("loads", "?") for row in rows}
        with self._store(payments=False) as store:
            started = {
                r["run_id"]: r["started"]
                for r in store.records("SELECT run_id, started FROM monitoring_runs")
            }
        since = parse_iso(shared_at)
        found = []
        for run in theirs:
            loads = named.get(run, "?")
            if loads is None or (isinstance(loads, list) and load in loads):
                found.append(run)  # None: a run over every payment
            elif loads == "?" and run in started and started[run] >= since:
                found.append(run)
        return found

    def _cases_on(self, load: int, other: str, runs: list[str]) -> dict[str, list[str]]:
        """`other`'s cases whose active evidence came from the load: case → `kind:ref`s."""
        rows = cases.agency_cases_citing(self.reads, other, _RECALLED, limit=None)
        if not rows:
            return {}
        refs = {kind: sorted({r.ref for r in rows if r.kind == kind}) for kind in _RECALLED}
        with self._store() as store:  # the owner's view: its own load's payments
            hit = _load_refs(store, load, refs, runs)
        found: dict[str, list[str]] = {}
        for row in rows:
            if row.ref in hit[row.kind]:
                found.setdefault(row.case_id, []).append(f"{row.kind}:{row.ref}")
        return dict(sorted(found.items()))

    def _mark_derived(self, load: str, other: str, derived: dict[str, Any]) -> None:
        """The revocation on each derived case's timeline and each run's audit trail."""
        note = (
            f"payments load {load} of {self.agency} is no longer shared with {other}: what "
            "was made of it stays (nothing deleted); review it"
        )
        with self.engine.begin() as con:
            for case_id, evidence in derived["cases"].items():
                cases.note_on_case(con, self.user.name, case_id, "share-revoked", {
                    "load": load, "owner": self.agency, "agency": other,
                    "evidence": evidence, "reason": note,
                })  # fmt: skip
            for run in derived["runs"]:
                audit.append(con, self.user.name, "run.share-revoked", run, {
                    "load": load, "owner": self.agency, "agency": other, "note": note,
                })  # fmt: skip

    def _owned(self, kind: str, ref: str) -> str:
        """What the record is called, when it exists, the user sees it and their agency owns
        it: only the owner shares a record or takes a share back. A missing or hidden one is
        the same 404 (a share of a record yet to come would be a share of whatever comes)."""
        what = _SHARED.get(kind)
        if what is None:
            raise BadRequestError(
                f"records of kind {kind!r} cannot be shared ({', '.join(_SHARED)})"
            )
        found = self._seen(kind, ref, what)
        if not self._exists(kind, ref):
            raise NotFoundError(f"no {what} {ref}")
        if found.agency != self.agency:
            raise ForbiddenError(f"only the agency that owns {what} {ref} may share it")
        return what

    def _exists(self, kind: str, ref: str) -> bool:
        if kind == "list":
            return any(v.list_name == ref for v in self._current_versions())
        if kind == "case":
            return cases.case_details(self.reads, ref) is not None
        if kind == "load" and not _LOAD_ID.fullmatch(ref):
            return False  # a load id as the load's job told it: no other spelling of one
        table, column = ("tx_loads", "load_id") if kind == "load" else ("monitoring_runs", "run_id")
        with self._store(payments=False) as store:
            value: Any = int(ref) if kind == "load" else ref
            row = store.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [value])
            return bool(row.fetchone()[0])  # type: ignore[index]

    @contextmanager
    def _store(self, payments: bool = True) -> Iterator[Store]:
        """The request's snapshot of the analytical store, its payments those the user sees.
        `payments=False`: a read of lists and entities only, spared the narrowing's queries."""
        with self.service.analytic.reader() as store:
            scope = self._payment_scope(store) if payments else None
            if scope is not None:
                restrict(store, scope)
            yield store

    def _workspace_data(self, kind: str, ref: str) -> None:
        """Unmarked workspace data belongs to the default agency: others see none of it."""
        if self.agency != self.default_agency:
            raise NotFoundError(f"no {kind} {ref}")

    @contextmanager
    def _narrowed(self, store: Store) -> Iterator[PaymentScope | None]:
        """A job's writer connection seeing only the payments the user sees, as they are when
        the job runs (read afresh: loads and markings may have come since it was queued)."""
        self._forget()
        scope = self._payment_scope(store)
        if scope is None:
            yield None
            return
        restrict(store, scope)
        try:
            yield scope
        finally:
            unrestrict(store)

    @contextmanager
    def payments_seen(self, store: Store) -> Iterator[PaymentScope | None]:
        """A writer connection seeing only this user's payments for the block: what a package
        for a partner is built from (`jalur.api.exchanges`), as a run is (`_narrowed`)."""
        with self._narrowed(store) as scope:
            yield scope

    # --- lists and entities ----------------------------------------------------------------

    def lists(self) -> list[dict[str, Any]]:
        with self._store(payments=False) as store:
            found = lists.list_summaries(store)
        shown = set(self.visible("list", [s["list"] for s in found]))
        marks = self._markings("list")
        fallback = default_of(self.default_agency)
        return [
            {**s, "marking": marks.get(s["list"], fallback).as_dict()}
            for s in found
            if s["list"] in shown
        ]

    def _current_versions(self) -> list[Any]:
        if self._versions is None:
            assert self.service.listings is not None
            self._versions = self.service.listings.current_versions()
        return self._versions

    def visible_lists(self) -> list[str]:
        return self.visible("list", [v.list_name for v in self._current_versions()])

    def _list_seen(self, name: str) -> Marking:
        if name not in self.visible_lists():
            raise NotFoundError(f"no list {name}")
        return self.marking("list", name)

    def list_versions(self, name: str) -> dict[str, Any]:
        marking = self._list_seen(name)
        with self._store(payments=False) as store:
            rows = store.records(
                "SELECT * FROM list_versions WHERE list_name = ? ORDER BY version_id", [name]
            )
        return {"list": name, "marking": marking.as_dict(), "versions": rows}

    def list_delta(self, name: str) -> dict[str, Any]:
        self._list_seen(name)
        with self._store(payments=False) as store:
            version = lists.current_version(store, name)
            delta = lists.last_delta(store, name)
        return {"list": name, "version": version.version_id if version else None, **delta}

    def export_list(self, name: str, consent: str | None) -> list[dict[str, Any]]:
        """A list's current entities as FtM dicts; refused for no-onward lists without consent."""
        self._list_seen(name)
        self.require_onward("list", name, "list", consent)
        with self._store(payments=False) as store:
            found = [e.to_dict() for e in lists.current_entities(store, [name])]
        audit.record(self.engine, self.user.name, "lists.export", f"list:{name}", {
            "entities": len(found), "consent": consent,
        })  # fmt: skip
        return found

    def load_list(
        self,
        upload: Path,
        filename: str,
        format: str | None,
        name: str | None,
        marking: Marking,
        allow_removals: bool = False,
    ) -> str:
        """Queue a list file's load as a job; the list is marked with the user's agency. A
        format no parser reads is refused here, before a job is queued (as payments are). A
        version removing much of the list fails the job unless `allow_removals`, as the CLI's
        `--allow-removals`."""
        if format and format not in lists.PARSERS:
            shutil.rmtree(upload.parent, ignore_errors=True)
            raise UnprocessableError(
                f"{filename}: unknown format {format!r} (known: {', '.join(sorted(lists.PARSERS))};"
                " or none, to tell it from the file)"
            )
        target = name or None
        if target is not None:
            owner = self.marking("list", target)
            with self._store(payments=False) as store:
                exists = lists.current_version(store, target) is not None
            if exists and owner.agency != self.agency:
                raise ConflictError(f"the list name {target} cannot be used: choose another")
        user, engine, analytic = self.user, self.engine, self.service.analytic
        owner_agency = self.agency

        def work(progress: Progress) -> dict[str, Any]:
            self._forget()  # a job runs later than the request: read the markings anew
            progress({"step": "loading", "file": filename})
            options = lists.ParseOptions(list_name=target)
            try:  # one transaction: a name owned by another agency rolls the load back
                with analytic.writer() as store, store.transaction():
                    prior = {v.list_name for v in lists.current_versions(store)}
                    try:
                        report = lists.load_list(
                            store,
                            upload,
                            format=format,
                            options=options,
                            allow_removals=allow_removals,
                        )
                    except lists.ListLoadError as exc:
                        raise UnprocessableError(_as_uploaded(exc, upload, filename)) from exc
                    owner = self.marking("list", report.list).agency
                    if report.list in prior and owner != owner_agency:
                        raise ConflictError(
                            f"the list name {report.list} cannot be used: choose another"
                        )
            finally:
                shutil.rmtree(upload.parent, ignore_errors=True)
            with engine.begin() as con:
                mark(con, "list", report.list, marking, user.name)
                audit.append(con, user.name, "lists.load", report.list, {
                    **report.as_dict(), "file": filename, "allow_removals": allow_removals,
                })  # fmt: skip
            return report.as_dict()

        return self.service.jobs.submit("lists.load", user, {"file": filename}, work)

    def entity(self, entity_id: str) -> dict[str, Any]:
        shown = set(self.visible_lists())
        with self._store(payments=False) as store:
            entries = [e for e in lists.entity_entries(store, entity_id) if e["list"] in shown]
        if not entries:
            raise NotFoundError(f"no entity {entity_id}")
        marks = [self.marking("list", e["list"]) for e in entries]
        return {
            "entity_id": entity_id,
            "marking": strictest(marks, marks[0].agency).as_dict(),
            "entries": entries,
        }

    def listed(self, entity_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The FtM data of listed entities by id, with the visible lists holding each."""
        shown = set(self.visible_lists())
        assert self.service.listings is not None
        entries = self.service.listings.entries(list(dict.fromkeys(entity_ids)))
        found: dict[str, dict[str, Any]] = {}
        for entity_id, held in entries.items():
            seen = [(name, data) for name, _, data in held if name in shown]
            if seen:
                found[entity_id] = {**json.loads(seen[0][1]), "datasets": [n for n, _ in seen]}
        return found

    def screen(
        self,
        query: screening.Query,
        threshold: float | None = None,
        dataset: str | None = None,
        limit: int = 20,
    ) -> list[screening.Hit]:
        """Hits on the lists this user sees (one list when `dataset` names it), best first."""
        shown = self.visible_lists()
        if dataset is not None:
            if dataset not in shown:
                raise NotFoundError(f"no list {dataset}")
            shown = [dataset]
        allowed = set(shown)
        current = max((v.version_id for v in self._current_versions()), default=0)
        hits = self.service.screening.screen(
            lambda: self._store(payments=False), query, threshold, current
        )
        kept = min(limit, self.service.screening.max_hits)
        return [h for h in hits if h.entity.list_name in allowed][:kept]

    def search(
        self, query: screening.Query, dataset: str | None = None, limit: int = 20
    ) -> list[screening.Hit]:
        """Listed names found for `query`'s words, best first, down to any score: a search
        lists, where screening decides — a one-word search (`Baasyir`) scores far under the
        screening threshold against `Abu Bakar Ba'asyir` and found nothing."""
        return self.screen(query, threshold=0.0, dataset=dataset, limit=limit)

    def screen_batch(self, content: bytes, filename: str, threshold: float | None) -> str:
        """Queue the screening of an uploaded CSV (a `name` column, optional birth_date,
        country, identifier, schema) as a job; rows are checked before anything is queued."""
        rows = _csv_rows(content, filename)
        user, service = self.user, self.service
        allowed, kept = set(self.visible_lists()), service.screening.max_hits

        def work(progress: Progress) -> dict[str, Any]:
            results = []
            with service.analytic.reader() as store:
                current = max((v.version_id for v in lists.current_versions(store)), default=0)
                for n, row in enumerate(rows, start=1):
                    query, warnings = screening.read_query(
                        str(row["name"]), row.get("birth_date"), row.get("country"),
                        row.get("identifier"), row.get("schema"),
                    )  # fmt: skip
                    every = service.screening.screen(
                        lambda: nullcontext(store), query, threshold, current
                    )
                    hits = [h for h in every if h.entity.list_name in allowed][:kept]
                    results.append({
                        "row": n, "name": row["name"], "warnings": [str(w) for w in warnings],
                        "hits": [h.as_dict() for h in hits],
                    })  # fmt: skip
                    if n % 100 == 0:
                        progress({"rows": len(rows), "screened": n})
            audit.record(service.engine, user.name, "screen.batch", filename, {"rows": len(rows)})
            return {"rows": len(rows), "results": results}

        return service.jobs.submit("screen.batch", user, {"rows": len(rows)}, work)

    # --- jobs ------------------------------------------------------------------------------

    def job(self, job_id: str) -> dict[str, Any]:
        """A job of the user's agency whose kind the user's role may start; the hits of a batch
        job only on lists the user sees.
        A job whose result is a record the user may not see (a run, a payments load or a list
        marked beyond them) answers as a missing one: its counts are that record's."""
        found = self.service.jobs.get(job_id)
        if found is None or found["agency"] != self.agency:
            raise NotFoundError(f"no job {job_id}")
        if not may(self.user.role, _JOB_RIGHTS.get(found["kind"], LOAD_DATA)):
            raise NotFoundError(f"no job {job_id}")  # a bank's client key: its screenings only
        result = found.get("result")
        made = [
            (kind, str(result[key]))
            for kind, key in (("run", "run_id"), ("load", "load_id"), ("list", "list"))
            if isinstance(result, dict) and result.get(key) is not None
        ]
        if any(not self.visible(kind, [ref]) for kind, ref in made):
            raise NotFoundError(f"no job {job_id}")
        if found["kind"] == "screen.batch" and result:
            allowed = set(self.visible_lists())
            for row in result["results"]:
                row["hits"] = [h for h in row["hits"] if h["list"] in allowed]
        return found

    # --- payments --------------------------------------------------------------------------

    def load_payments(self, upload: Path, filename: str, format: str, marking: Marking) -> str:
        """Queue an uploaded payments file's load as a job; its counts are the job's result.

        The load is the user's agency's, marked as asked (`new_marking`) before its first
        payment is written, and its payments are deduplicated against the payments the user
        sees only: the counts say nothing of payments of other agencies or beyond the user's
        clearance (a payment of theirs with the same id is another agency's record)."""
        if format.lower() not in transactions.READERS:
            shutil.rmtree(upload.parent, ignore_errors=True)
            raise UnprocessableError(
                f"{filename}: unknown format {format!r} (known: {', '.join(transactions.READERS)})"
            )
        user, service = self.user, self.service
        owner = None if self.agency == self.default_agency else self.agency

        def marked(load_id: int) -> None:
            with service.engine.begin() as con:
                mark(con, "load", str(load_id), marking, user.name)

        def work(progress: Progress) -> dict[str, Any]:
            progress({"step": "loading", "file": filename})
            try:
                with service.analytic.writer() as store, self._narrowed(store):
                    counts = transactions.load_transactions(
                        store, upload, format.lower(), on_start=marked, agency=owner,
                        on_chunk=lambda c: progress({"step": "loading", **c.as_dict()}),
                        recorded_as=f"upload:{self.agency}/{upload.name}",
                    )  # fmt: skip
            except transactions.TransactionLoadError as exc:
                raise UnprocessableError(_as_uploaded(exc, upload, filename)) from exc
            finally:
                shutil.rmtree(upload.parent, ignore_errors=True)
            with service.engine.begin() as con:
                audit.append(con, user.name, "transactions.load", filename, {
                    **counts.as_dict(), "format": format.lower(), "load_id": counts.load_id,
                })  # fmt: skip
            return {
                "file": filename, "format": format.lower(), **counts.as_dict(),
                "load_id": counts.load_id, "marking": marking.as_dict(),
            }  # fmt: skip

        return service.jobs.submit("transactions.load", user, {"file": filename}, work)

    # --- tracing ---------------------------------------------------------------------------

    def channels(self, limit: int, offset: int) -> dict[str, Any]:
        """Traced funding channels, largest first (workspace data of the default agency)."""
        if self.agency != self.default_agency:
            return {"total": 0, "channels": []}
        with self._store(payments=False) as store:
            monitoring.channel(store, "")  # the tables exist, even before any trace
            total = store.execute("SELECT count(*) FROM channels").fetchone()
            rows = store.records(
                """SELECT channel_id, trace_id, traced_at, source, sink, amount, currency, hops,
                          allocation, max_hops, first_departure, last_arrival, duration_s
                   FROM channels ORDER BY amount DESC, channel_id LIMIT ? OFFSET ?""",
                [limit, offset],
            )
        return {"total": int(total[0]) if total else 0, "channels": rows}

    def channel_graph(self, channel_id: str) -> dict[str, Any]:
        """One channel as the channel graph (JSON) and as Cytoscape.js elements."""
        found = self.channel_network(channel_id)
        return {
            "channel": found["channel"],
            "graph": {k: v for k, v in found.items() if k != "channel"},
            "elements": cytoscape_elements(found, channel_id),
        }

    # --- monitoring ------------------------------------------------------------------------

    def _runs(self, store: Store) -> list[str]:
        """The monitoring runs the user sees, in the request's snapshot of the store."""
        rows = store.records("SELECT run_id FROM monitoring_runs ORDER BY started")
        return self.visible("run", [r["run_id"] for r in rows])

    def alerts(
        self,
        typology: str | None = None,
        account: str | None = None,
        run_id: str | None = None,
        min_score: float | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Alerts of the runs this user sees, best first, filtered (values bound, never pasted)."""
        with self._store(payments=False) as store:
            return self._alerts(store, typology, account, run_id, min_score, limit, offset)

    def _alerts(
        self,
        store: Store,
        typology: str | None,
        account: str | None,
        run_id: str | None,
        min_score: float | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        runs = self._runs(store)
        if run_id is not None:
            runs = [r for r in runs if r == run_id]
        where: list[str] = ["run_id IN (SELECT unnest(?))"]
        params: list[Any] = [runs]
        for column, value in (("typology", typology), ("account", account)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if min_score is not None:
            where.append("score >= ?")
            params.append(min_score)
        sql = " AND ".join(where)
        total = store.execute(f"SELECT count(*) FROM alerts WHERE {sql}", params).fetchone()
        rows = store.records(
            f"""SELECT alert_id, run_id, typology, account, score, explanation FROM alerts
                WHERE {sql} ORDER BY score DESC, alert_id LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        )
        return {"total": total[0] if total else 0, "limit": limit, "offset": offset, "alerts": rows}

    def alert(self, alert_id: str) -> dict[str, Any]:
        with self._store() as store:
            found = monitoring.alert_evidence(store, alert_id)
            if found is None or found["alert"]["run_id"] not in self._runs(store):
                raise NotFoundError(f"no alert {alert_id}")
            payments = transactions.payments(store, found["tx_ids"])
        marking = self.marking("run", found["alert"]["run_id"])
        # A run shared with the user's agency shows its alerts, not the payments behind them
        # that the user does not see: those are left out of the ids too, as missing ones.
        shown = {p["tx_id"] for p in payments}
        tx_ids = [t for t in found["tx_ids"] if t in shown]
        return {**found, "tx_ids": tx_ids, "payments": payments, "marking": marking.as_dict()}

    def start_monitoring(self, typologies: list[str] | None, marking: Marking) -> str:
        """Queue a monitoring run over the payments this user sees; the run is their agency's.

        The run never covers more than the user sees (the job's connection is narrowed to those
        loads) and is marked at least as strictly as every load it covers, so its alerts are
        seen by nobody who could not see their payments. A run for another agency than the
        default one has alert ids of its own (`monitoring.monitor`'s `owner`). Its seeds are
        the listed accounts of the lists the user sees only (`_seeds`), and the run is marked
        at least as strictly as every list that seeded it too."""
        user, service, workspace = self.user, self.service, self.service.settings.workspace
        params = monitoring.load_params(
            workspace.section("monitoring"),
            str(workspace.section("transactions").get("reporting_currency", "USD")),
        )
        unknown = params.unknown(typologies or [])
        if unknown:  # refused now, not queued to fail
            raise BadRequestError(unknown)
        owner = None if self.agency == self.default_agency else self.agency

        def work(progress: Progress) -> dict[str, Any]:
            progress({"step": "detecting"})
            with service.analytic.writer() as store, self._narrowed(store) as scope:
                seeds, used = self._seeds(store)
                covered = [marking, *self._covered(scope), *used]
                run_marking = strictest(covered, marking.agency)

                def marked(found: monitoring.RunReport) -> None:
                    with service.engine.begin() as con:
                        mark(con, "run", found.run_id, run_marking, user.name)

                engine = monitoring.open_engine("duckdb", store, params.of("spark"))
                try:
                    report = monitoring.monitor(
                        store, engine, params, typologies=typologies, owner=owner,
                        before_save=marked, seeds=seeds,
                    )  # fmt: skip
                finally:
                    engine.close()
            summary = report.summary()
            with service.engine.begin() as con:
                audit.append(con, user.name, "monitor.run", report.run_id, {
                    **{k: summary[k] for k in ("engine", "payments", "alerts") if k in summary},
                    "marking": run_marking.as_dict(),
                    # the loads it read (None: every payment), for a share taken back later
                    "loads": None if scope is None else sorted(scope.loads),
                })  # fmt: skip
            return {
                "run_id": report.run_id, **summary, "marking": run_marking.as_dict(),
                "seed_lists": sorted(set(seeds.hits.column("list_name").to_pylist())),
            }  # fmt: skip

        return service.jobs.submit("monitor.run", user, {"typologies": typologies}, work)

    def _seeds(self, store: Store) -> tuple[monitoring.Seeds, list[Marking]]:
        """What a run for this user seeds from, and the markings of what seeded it.

        Listed accounts come from the lists the user sees only (their agency's, or shared with
        it, with markings they hold), never from another: a list they cannot see would show in
        their alerts (its entry's name, a listed counterparty, an exposure). The default
        agency's own findings (flags, the hits of `jalur screen parties`: unmarked, so that
        agency's at the default classification) seed the runs of those who see its unmarked
        data, their hits kept to the lists the user sees. And the parties of the payments the store
        shows (the user's) are screened now against those lists (`listed_accounts`): a load
        made through the service was never screened by the command line, which cannot run
        beside the server; for the default agency with its decisions (cleared pairs)."""
        names = [v.list_name for v in lists.current_versions(store)]
        seen = self.visible("list", names)
        fallback = default_of(self.default_agency)
        workspace = self.sees(fallback)
        decisions = screening.Decisions.load(store) if workspace else None
        config = self.service.screening.config
        hits = screening.listed_accounts(store, config, seen, decisions=decisions)
        if workspace:
            stored = monitoring.on_lists(screening.account_hits(store), seen)
            hits = pa.concat_tables([stored, hits.cast(stored.schema)])
        seeds = monitoring.load_seeds(store, hits, workspace=workspace)
        used = sorted(set(seeds.hits.column("list_name").to_pylist()))
        marks = [self.marking("list", name) for name in used]
        return seeds, [*marks, fallback] if workspace else marks

    def _covered(self, scope: PaymentScope | None) -> list[Marking]:
        """The markings of the payments a run over `scope` reads (None: every payment)."""
        loads = self._markings("load")
        fallback = default_of(self.default_agency)
        if scope is None:
            return [fallback, *loads.values()]
        found = [loads.get(str(load), fallback) for load in sorted(scope.loads)]
        return [fallback, *found] if scope.unlabelled else found

    # --- cases -----------------------------------------------------------------------------

    def cases(self, **filters: Any) -> list[dict[str, Any]]:
        found = cases.list_cases(self.reads, **filters)
        shown = set(self.visible("case", [c["case_id"] for c in found]))
        return [c for c in found if c["case_id"] in shown]

    def case(self, case_id: str) -> dict[str, Any]:
        marking = self._seen("case", case_id, "case")
        found = self.service.case_details.read(
            case_id, lambda: cases.case_details(self.reads, case_id)
        )
        if found is None:
            raise NotFoundError(f"no case {case_id}")
        return {**found, "marking": marking.as_dict()}

    def show_case(self, case_id: str, via: str) -> dict[str, Any]:
        """`case` for a person to read, recorded: reading a case discloses intelligence, and the
        trail holds every read on every channel (`jalur cases show` records `case.show` too)."""
        found = self.case(case_id)
        self.recorded_read(case_id, via)
        return found

    def recorded_read(self, case_id: str, via: str, view: str | None = None) -> None:
        """A read of a case the user was just shown, in the trail (`view`: not the case page)."""
        details = {"via": via, **({"view": view} if view else {})}
        record_read(self.engine, self.user.name, "case.show", case_id, details)

    def _evidence(self, asked: Iterable[tuple[str, str]]) -> tuple[list[Any], list[Marking]]:
        """The evidence asked for, each item checked against what the user sees."""
        items: list[Any] = []
        marks: list[Marking] = []
        with self._store() as store:
            for kind, ref in asked:
                marks.append(self._evidence_marking(store, kind, ref))
                items += [
                    item
                    for item in cases.evidence_for(store, kind, ref)
                    if item.kind == kind or self._shown_with(item)
                ]
        return items, marks

    def _shown_with(self, item: Any) -> bool:
        """Whether evidence pulled in with an alert (its payments, the subjects screening
        matched to its accounts) is the user's to see: a payment they do not see reads as a
        missing one, so it is left out; screening hits are the default agency's findings."""
        if item.kind == "payment":
            return not item.snapshot.get("missing")
        return item.kind != "subject" or self.agency == self.default_agency

    def _evidence_marking(self, store: Store, kind: str, ref: str) -> Marking:
        if kind == "alert":
            found = monitoring.alert_evidence(store, ref)
            run_id = found["alert"]["run_id"] if found else ""
            if found is None or run_id not in self._runs(store):
                raise NotFoundError(f"no alert {ref}")  # the same words for a hidden one
            return self.marking("run", run_id)
        if kind == "subject":
            seen = self.entity(ref)["marking"]
            return Marking(seen["agency"], seen["classification"], tuple(seen["caveats"]))
        if kind in _PAYMENT_EVIDENCE:
            return self._payments_marking(store, kind, ref)
        if kind in _UNMARKED_EVIDENCE:
            if self.agency != self.default_agency:
                raise NotFoundError(f"no {kind} {ref}")
            return default_of(self.default_agency)
        raise BadRequestError(
            f"evidence {ref}: kind {kind!r} is none of {', '.join(_EVIDENCE_KINDS)}"
        )

    def _payments_marking(self, store: Store, kind: str, ref: str) -> Marking:
        """A payment (by id) or an account (by number) among the payments the user sees (the
        store is narrowed to them): the strictest marking of the loads they came in with."""
        column = "tx_id = ?" if kind == "payment" else "orig_account = ? OR bene_account = ?"
        params = [ref] if kind == "payment" else [ref, ref]
        rows = store.execute(
            f"SELECT DISTINCT load_id FROM transactions WHERE {column}", params
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no {kind} {ref}")  # the same words for a hidden one
        fallback = default_of(self.default_agency)
        loads = self._markings("load")
        found = [fallback if r[0] is None else loads.get(str(r[0]), fallback) for r in rows]
        return strictest(found, self.agency)

    def open_case(
        self,
        title: str,
        evidence: list[tuple[str, str]],
        typology: str | None,
        one_per_alert: bool = False,
    ) -> dict[str, Any]:
        """A new case of the user's agency, marked the strictest of its evidence.
        `one_per_alert`: refused (AlertWorkedError, a 409) when a case of the agency holds one
        of its alerts, decided by the database (`cases.open_case`); the API asks for it."""
        items, marks = self._evidence(evidence)
        marking = strictest(marks, self.agency)
        case_id = cases.open_case(
            self.engine, self.user, title, items, typology, marking, one_per_alert
        )
        self._forget()
        return self.case(case_id)

    def case_action(self, case_id: str, action: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """One action of the cases workflow on a case the user sees; four eyes are the
        workflow's own rule (the proposer cannot approve), enforced in `cases`."""
        marking = self._worked_here(case_id, action)
        user, engine = self.user, self.engine
        if action == "assign":
            assignee = str(body.get("assignee") or "")
            if not assignee:
                raise BadRequestError("assign needs `assignee`: the user to give the case to")
            self._may_work(assignee, case_id, marking)
            cases.assign(engine, user, case_id, assignee)
        elif action == "comment":
            cases.comment(engine, user, case_id, str(body.get("text") or ""))
        elif action == "add":
            kind, ref = str(body.get("kind") or ""), str(body.get("ref") or "")
            if not kind or not ref:  # else read as evidence "None", or "no alert None"
                raise BadRequestError(
                    f"add needs `kind` ({', '.join(_EVIDENCE_KINDS)}) and `ref` (its id)"
                )
            items, marks = self._evidence([(kind, ref)])
            self._tighten_case(case_id, marks)
            cases.add_evidence(engine, user, case_id, items)
        elif action == "propose":
            codes = cases.report_codes(self.service.settings.workspace.section("reporting"))
            cases.propose(
                engine, user, case_id, str(body.get("decision") or ""),
                str(body.get("reason") or ""), body.get("report_type"), body.get("disposition"),
                codes,
            )  # fmt: skip
        elif action == "approve":
            require(engine, user, APPROVE_CASES, f"approve {case_id}")  # 403, audited
            # what the approver read: its time, and its decision where given (two proposals
            # can fall in one second)
            read = {k: body[k] for k in ("proposed_at", "decision") if body.get(k)} or None
            cases.approve(engine, user, case_id, read=read)
        elif action == "return":  # the approver's right, refused as a role as approving is
            require(engine, user, APPROVE_CASES, f"return {case_id}")
            cases.return_case(engine, user, case_id, str(body.get("reason") or ""))
        elif action == "withdraw":  # the proposer's own, enforced in `cases`
            cases.withdraw(engine, user, case_id, str(body.get("reason") or ""))
        else:
            raise BadRequestError(f"unknown case action {action!r}")
        return self.case(case_id)

    def _worked_here(self, case_id: str, action: str) -> Marking:
        """A case the user sees and their agency owns: a share lets another agency read a case,
        not work it (its evidence, assignees, decision and report are the owner's; a partner's
        evidence added to it would reach the owner's analysts without a share of its own)."""
        found = self._seen("case", case_id, "case")
        if found.agency != self.agency:
            raise ForbiddenError(
                f"{action} {case_id} refused: case {case_id} is shared with agency "
                f"{self.agency} to read; only agency {found.agency} works it"
            )
        return found

    def _tighten_case(self, case_id: str, marks: list[Marking]) -> None:
        """A case is marked the strictest of its evidence, added later as well as at opening:
        evidence under a stricter classification or caveat (a partner's EGMONT payment) makes
        the case as strict before it is added, so nobody reads it in the case who could not
        read it where it came from (the case's owning agency stays)."""
        now = self.marking("case", case_id)  # an unmarked case: the default agency's
        wanted = strictest([now, *marks], now.agency)
        if wanted == Marking(now.agency, now.classification, now.caveats):
            return
        with self.engine.begin() as con:
            tighten(con, "case", case_id, wanted, self.user.name)
        self._forget()

    def _may_work(self, name: str, case_id: str, marking: Marking) -> None:
        """An assignee is a user of this agency cleared for the case: one below its marking
        would be given a case they cannot open (and learn that it exists)."""
        found = find_user(self.engine, name)
        if found is None or (found.agency or self.default_agency) != self.agency:
            raise BadRequestError(f"no user {name} in agency {self.agency}")
        if not cleared(found.clearance, found.caveats, marking.classification, marking.caveats):
            raise BadRequestError(
                f"{name} is not cleared for {case_id} (marked {marking.classification}"
                f" {list(marking.caveats)}): assign it to a user who may read it"
            )

    # --- networks --------------------------------------------------------------------------

    def case_network(self, case_id: str) -> dict[str, Any]:
        """The case's payments as a graph; a channel it holds is the highlighted path."""
        found = self.case(case_id)
        active = [e for e in found["evidence"] if not e["removed_at"]]
        payments = [e["snapshot"] for e in active if e["kind"] == "payment" and e["snapshot"]]
        payments = [p for p in payments if not p.get("missing")]
        paths = [
            (e["ref"], list(e["snapshot"].get("path") or []))
            for e in active
            if e["kind"] == "channel"
        ]
        listed = {
            str(h.get("party_id")): h
            for e in active
            if e["kind"] == "subject"
            for h in e["snapshot"].get("screening") or []
        }
        return {"case": found, **self._network(payments, paths, listed)}

    def channel_network(self, channel_id: str) -> dict[str, Any]:
        self._workspace_data("channel", channel_id)
        with self._store() as store:
            found = monitoring.channel(store, channel_id)
            if found is None:
                raise NotFoundError(f"no channel {channel_id}")
            payments = transactions.payments(store, list(found["tx_ids"]))
        paths = [(channel_id, list(p)) for p in found["paths"]]
        return {"channel": found, **self._network(payments, paths, {})}

    def _network(
        self,
        payments: list[dict[str, Any]],
        given: list[tuple[str, list[str]]],
        listed: Mapping[str, Mapping[str, Any]],
    ) -> dict[str, Any]:
        accounts = sorted(
            {str(p[k]) for p in payments for k in ("orig_account", "bene_account") if p.get(k)}
            | {a for _, path in given for a in path}
        )
        flags: dict[str, list[str]] = {a: [] for a in accounts}
        best: dict[str, dict[str, Any]] = {a: dict(h) for a, h in listed.items() if a in flags}
        if self.agency == self.default_agency:  # flags and hits are the default agency's data
            with self._store(payments=False) as store:
                seeds = monitoring.load_seeds(store)
            for topic in ("drug", "terror"):
                for account in seeds.of(topic) & set(accounts):
                    flags[account].append(topic)
            for hit in seeds.hits.to_pylist():
                if hit["account"] in flags:
                    best.setdefault(hit["account"], hit)
        return network_graph(payments, given, flags, best)

    # --- reports ---------------------------------------------------------------------------

    def report(
        self,
        case_id: str,
        consent: str | None = None,
        rates: Iterable[str] = (),
        client_banks: Iterable[str] = (),
        indicators: Iterable[str] = (),
        channel: str = "api download",
        action: str | None = None,
    ) -> tuple[str, bytes]:
        """The goAML report of an approved case, validated, its hash recorded in the case. A
        report leaves the agency: a case with a no-onward caveat needs a recorded consent. A
        refusal is audited (`report-refused`), as on the command line. `channel` is where it
        went, as the case's timeline and the trail record it (`api download`, `web download`);
        `action`: what the bank did, as `jalur report goaml --action` (default: the decision)."""
        require(self.engine, self.user, WORK_CASES, f"generate a report for {case_id}")
        self._worked_here(case_id, "report")
        self.require_onward("case", case_id, "case", consent)
        details = self.case(case_id)
        workspace = self.service.settings.workspace
        try:
            options = cases.ReportOptions(
                rates=cases.parse_rates(list(rates)),
                client_banks=tuple(client_banks),
                indicators=tuple(indicators),
                action=action or None,
            )
            reporter = ReportingSettings.from_section(workspace.section("reporting"))
            profile = load_profile(reporter.profile)
            report, problems = cases.report_input(details, reporter, options, utcnow())
            if problems:
                raise ReportInvalidError(problems)
            data = build_report(report, profile)
        except (ConfigError, ReportingError, cases.CaseError) as exc:
            told = [str(p) for p in getattr(exc, "problems", None) or [str(exc)]]
            audit.record(self.engine, self.user.name, "report-refused", case_id, {
                "reason": told[0], "problems": told,
            })  # fmt: skip
            raise BadRequestError(f"{case_id}: no report: " + "; ".join(told)) from exc
        cases.record_report(  # not recorded if the approval was replaced while building
            self.engine, self.user, case_id, report_sha256(data), channel, profile.name,
            built_from=details,
        )  # fmt: skip
        if consent:
            audit.record(self.engine, self.user.name, "report.consent", f"case:{case_id}", {
                "consent": consent,
            })  # fmt: skip
        return f"{case_id}-{report.report_code}.xml", data

    # --- audit -----------------------------------------------------------------------------

    def audit_entries(self, obj: str | None, limit: int, offset: int, via: str) -> dict[str, Any]:
        """Entries made by users (and API keys) of the user's own agency, newest first. For
        another agency than the default one, without `seq`, `hash` and `prev_hash`: the gaps
        between its entries' numbers would count every other agency's actions (and a hash
        gives its number away, tried against each one). The read is recorded (`audit.show`,
        `via` api or web), as `jalur audit show` records it: the trail discloses data."""
        with snapshot(self.reads) as con:  # the names, the count and the page agree
            names = {
                r.name
                for r in con.execute(select(schema.users.c.name, schema.users.c.agency))
                if (r.agency or self.default_agency) == self.agency
            }
            names |= {
                f"key:{r.id}"
                for r in con.execute(
                    select(schema.api_keys.c.id).where(schema.api_keys.c.agency == self.agency)
                )
            }
            total, page = audit.newest_by(con, names, obj, limit, offset)
        shown = [e.as_dict() for e in page]
        record_read(self.engine, self.user.name, "audit.show", obj,
                    {"entries": len(shown), "via": via})  # fmt: skip
        if not self._whole_trail():
            shown = [{**e, "seq": None, "hash": None, "prev_hash": None} for e in shown]
        return {"total": total, "entries": shown}

    def verify_audit(self, full: bool = False) -> dict[str, Any]:
        """The trail's verification (`jalur audit verify`, from the newest good seal unless
        `full`): in whole for the default agency, whose installation it is; for another
        agency, whether it is intact and the problems of the cases it sees, without what would
        count the other agencies' actions (entries, head, seals, entry numbers in the
        problems, another agency's case ids)."""
        from jalur.api.seals import seal_keys

        workspace = self.service.settings.workspace
        report = audit.check_trail(
            self.engine, seal_keys(workspace.home), workspace.seals_path, full=full
        )
        found = cases.check_cases(self.engine)
        if self._whole_trail():
            report.problems += [str(p) for p in found]
            return report.as_dict()
        seen = set(self.visible("case", sorted({p.case_id for p in found})))
        problems = [p.unnumbered() for p in found if p.case_id in seen]
        if report.problems or len(problems) < len(found):
            problems.append(
                "the trail, or a case your agency does not see, does not verify: the "
                "installation's administrator sees where (`jalur audit verify`)"
            )
        return {"chain": report.chain, "scope": "agency", "intact": not problems,
                "problems": problems}  # fmt: skip

    def _whole_trail(self) -> bool:
        """The default agency's users see the whole trail's state (the installation is its own,
        and the command line acts for it); another agency's, only what concerns it."""
        return self.agency == self.default_agency


def _csv_rows(content: bytes, filename: str) -> list[dict[str, str | None]]:
    """The rows of a batch upload, each with a name; a bad file or row is a 422 naming it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnprocessableError(
            f"{filename}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise UnprocessableError(f"{filename}: a CSV file with a 'name' column is needed")
    rows, problems = [], []
    for row in reader:
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(f"line {reader.line_num}: no name")
            continue
        if (problem := screening.name_problem(name)) is not None:
            problems.append(f"line {reader.line_num}: {problem}")  # as `jalur screen batch`
            continue
        fields: dict[str, str | None] = {
            k: (row.get(k) or "").strip() or None for k in _SCREEN_COLUMNS
        }
        rows.append({**fields, "name": name})
    if problems or not rows:
        raise UnprocessableError(f"{filename}: " + ("; ".join(problems[:20]) or "no rows"))
    return rows


def _as_uploaded(exc: Exception, upload: Path, filename: str) -> str:
    """A reader's error about the spooled copy, told with the name the file was uploaded
    under: the server's temporary folder is not the client's business, its file name is."""
    told = str(exc).replace(str(upload), filename)
    return told if told.startswith(filename) else f"{filename}: {told}"


def spool(content: bytes, filename: str, folder: Path) -> Path:
    """An upload written under its own name (formats and list names come from it) in `folder`
    (private, new: `Jobs.spool_folder`), for a capability that reads paths."""
    name = Path(filename).name
    path = folder / (name if name not in ("", ".", "..") else "upload")
    path.write_bytes(content)
    return path


def queue_upload(content: bytes, filename: str, folder: Path, queue: Callable[[Path], str]) -> str:
    """`queue(path)` of the upload spooled to `path` in `folder`: the job it queues owns the
    copy and removes it when done. A refusal before the job is queued (a list name another
    agency owns, an unknown format) removes it here: else each refused upload left a copy of
    the agency's file behind."""
    try:
        return queue(spool(content, filename, folder))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)
