"""What the pages show, read through the service's access layer.

`WebAccess` is the API's `Access` (the one place that decides who sees what) with the few
reads the pages need beyond the API's routes: an entity's hits and cases, an account, the
network of a case or a traced channel, and a case's goAML report. Each starts from a record the
user is already allowed to see (`case`, `entity`) or from workspace data of the default agency
(accounts, payments, hits and channels carry no marking of their own yet and are shown only to
that agency, as the API does), so nothing here widens what a user sees.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from jalur import cases, monitoring, screening, transactions
from jalur.api import Access, BadRequestError, NotFoundError
from jalur.canonical import utcnow
from jalur.config import ConfigError
from jalur.reporting import (
    ReportingError,
    ReportingSettings,
    ReportInvalidError,
    build_report,
    load_profile,
    report_sha256,
)
from jalur.users import WORK_CASES, list_users, require

_NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
_MAX_PATHS = 40


class WebAccess(Access):
    """The user's view of the workspace for one page."""

    def _workspace_data(self, kind: str, ref: str) -> None:
        """Unmarked workspace data belongs to the default agency: others see none of it."""
        if self.agency != self.default_agency:
            raise NotFoundError(f"no {kind} {ref}")

    def colleagues(self) -> list[str]:
        """People of the user's agency who may work a case (for assigning)."""
        return [
            u.name
            for u in list_users(self.engine)
            if not u.disabled
            and (u.agency or self.default_agency) == self.agency
            and u.role in ("analyst", "supervisor")
        ]

    # --- entities --------------------------------------------------------------------------

    def entity_page(self, entity_id: str) -> dict[str, Any]:
        found = self.entity(entity_id)
        entries = found["entries"]
        names = [n for e in entries for p in _NAME_PROPS for n in _props(e["entity"], p)]
        sanctions = [
            r for e in entries for r in e.get("related") or [] if r.get("schema") == "Sanction"
        ]
        hits: list[dict[str, Any]] = []
        if self.agency == self.default_agency:
            with self._store() as store:
                hits = screening.entity_hits(store, entity_id)
        return {
            **found,
            "caption": _caption(entries),
            "names": by_script(dict.fromkeys(names)),
            "sanctions": sanctions,
            "hits": hits,
            "cases": self._cases_citing({entity_id}),
        }

    def _cases_citing(self, refs: set[str]) -> list[dict[str, Any]]:
        """Cases the user sees whose active evidence names one of `refs`."""
        found = []
        for summary in self.cases():
            details = cases.case_details(self.engine, summary["case_id"]) or {"evidence": []}
            if any(_cites(item, refs) for item in details["evidence"] if not item["removed_at"]):
                found.append(summary)
        return found

    # --- accounts --------------------------------------------------------------------------

    def account(self, account: str) -> dict[str, Any]:
        self._workspace_data("account", account)
        with self._store() as store:
            party = transactions.account_party(store, account)
            paid = store.records(
                """SELECT * FROM transactions WHERE orig_account = ? OR bene_account = ?
                   ORDER BY "timestamp", tx_id LIMIT 200""",
                [account, account],
            )
            if party is None and not paid:
                raise NotFoundError(f"no account {account}")
            seeds = monitoring.load_seeds(store)
            hits = screening.party_hits(store, account)
        return {
            "account": account,
            "party": party or {},
            "flags": [t for t in ("drug", "terror") if account in seeds.of(t)],
            "payments": paid,
            "hits": hits,
            "cases": self._cases_citing({account}),
        }

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
            with self._store() as store:
                seeds = monitoring.load_seeds(store)
            for topic in ("drug", "terror"):
                for account in seeds.of(topic) & set(accounts):
                    flags[account].append(topic)
            for hit in seeds.hits.to_pylist():
                if hit["account"] in flags:
                    best.setdefault(hit["account"], hit)
        return network_graph(payments, given, flags, best)

    # --- reports ---------------------------------------------------------------------------

    def report(self, case_id: str) -> tuple[str, bytes]:
        """The goAML report of an approved case, validated, its hash recorded in the case."""
        require(self.engine, self.user, WORK_CASES, f"generate a report for {case_id}")
        details = self.case(case_id)
        workspace = self.service.settings.workspace
        try:
            reporter = ReportingSettings.from_section(workspace.section("reporting"))
            profile = load_profile(reporter.profile)
            report, problems = cases.report_input(
                details, reporter, cases.ReportOptions(), utcnow()
            )
            if problems:
                raise ReportInvalidError(problems)
            data = build_report(report, profile)
        except (ConfigError, ReportingError) as exc:
            told = getattr(exc, "problems", None) or [str(exc)]
            raise BadRequestError(f"{case_id}: no report: " + "; ".join(map(str, told))) from exc
        cases.record_report(
            self.engine, self.user, case_id, report_sha256(data), "web download", profile.name
        )
        return f"{case_id}-{report.report_code}.xml", data


def network_graph(
    payments: Iterable[Mapping[str, Any]],
    given: list[tuple[str, list[str]]],
    flags: Mapping[str, list[str]],
    listed: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Payments as the channel graph `jalur.pictures` draws: accounts, legs, paths.

    A traced channel's paths are drawn as given; without one, the money's own paths (from
    accounts nobody paid to accounts that paid nobody) are the channels, largest first, so the
    picture still reads left to right and the heaviest path is highlighted."""
    rows = sorted(payments, key=lambda p: (str(p.get("timestamp") or ""), str(p.get("tx_id"))))
    holders: dict[str, dict[str, Any]] = {}
    legs: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    currency = next((str(p["currency"]) for p in rows if p.get("currency")), None)
    for p in rows:
        orig, bene = p.get("orig_account"), p.get("bene_account")
        for side, account in (("orig", orig), ("bene", bene)):
            if account:
                holders.setdefault(str(account), {
                    k: p.get(f"{side}_{k}") for k in ("name", "bank", "country")
                })  # fmt: skip
        if orig and bene:
            legs[(str(orig), str(bene))].append(p)
    edges: list[dict[str, Any]] = [
        {
            "source": orig, "target": bene, "currency": currency,
            "amount": round(sum(_amount(p) for p in paid), 2),
            "payments": [{"tx_id": p.get("tx_id"), "time": str(p.get("timestamp") or ""),
                          "amount": _amount(p), "currency": p.get("currency")} for p in paid],
            "first_payment": str(paid[0].get("timestamp") or ""),
            "last_payment": str(paid[-1].get("timestamp") or ""),
            "channels": [],
        }
        for (orig, bene), paid in sorted(legs.items())
    ]  # fmt: skip
    amounts: dict[tuple[str, str], float] = {(e["source"], e["target"]): e["amount"] for e in edges}
    found = given or [(f"path-{n + 1}", p) for n, p in enumerate(money_paths(list(amounts)))]
    channels: list[dict[str, Any]] = []
    for channel_id, path in found:
        carried = [amounts.get((a, b), 0.0) for a, b in pairwise(path)]
        channels.append({"channel_id": channel_id, "path": path,
                         "amount": min(carried, default=0.0), "hops": len(path) - 1})  # fmt: skip
    channels.sort(key=lambda c: (-c["amount"], c["channel_id"]))
    for edge in edges:
        edge["channels"] = [
            c["channel_id"] for c in channels
            if (edge["source"], edge["target"]) in pairwise(c["path"])
        ]  # fmt: skip
    paid_in = {e["target"] for e in edges}
    paid_out = {e["source"] for e in edges}
    accounts = sorted(set(holders) | {a for _, p in found for a in p})
    nodes = [
        {
            "id": account,
            "role": "source" if account not in paid_in else
                    "sink" if account not in paid_out else "intermediate",
            "holder": holders.get(account, {}).get("name"),
            "bank": holders.get(account, {}).get("bank"),
            "country": holders.get(account, {}).get("country"),
            "flags": sorted(set(flags.get(account, []))),
            "listed": dict(listed[account]) if account in listed else None,
        }
        for account in accounts
    ]  # fmt: skip
    total = sum(c["amount"] for c in channels)
    return {
        "directed": True, "allocation": "payments", "max_hops": max(
            (c["hops"] for c in channels), default=0), "currency": currency,
        "emitted": total, "arrived": total, "nodes": nodes, "edges": edges,
        "channels": channels,
    }  # fmt: skip


def money_paths(legs: list[tuple[str, str]]) -> list[list[str]]:
    """Every simple path from an account nobody paid (or the start of a cycle) to one that
    paid nobody, at most `_MAX_PATHS` of them; a leg on no such path is a path of its own."""
    out: dict[str, list[str]] = defaultdict(list)
    for orig, bene in legs:
        out[orig].append(bene)
    paid_in = {b for _, b in legs}
    starts = sorted({o for o, _ in legs} - paid_in) or sorted({o for o, _ in legs})[:1]
    paths: list[list[str]] = []

    def walk(path: list[str]) -> None:
        if len(paths) >= _MAX_PATHS:
            return
        onward = [b for b in sorted(out[path[-1]]) if b not in path]
        if not onward:
            if len(path) > 1:
                paths.append(path)
            return
        for bene in onward:
            walk([*path, bene])

    for start in starts:
        walk([start])
    covered = {leg for p in paths for leg in pairwise(p)}
    paths += [[o, b] for o, b in legs if (o, b) not in covered][: max(_MAX_PATHS - len(paths), 0)]
    return paths


def by_script(names: Iterable[str]) -> dict[str, list[str]]:
    """Names grouped by the writing system of their letters (Latin, Arabic, Cyrillic…)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in names:
        grouped[_script(name)].append(name)
    return dict(sorted(grouped.items(), key=lambda kv: (kv[0] != "Latin", kv[0])))


def _script(text: str) -> str:
    for char in text:
        if char.isalpha():
            word = unicodedata.name(char, "OTHER").split()[0]
            return {"CJK": "Han"}.get(word, word.title())
    return "Other"


def _props(entity: Mapping[str, Any], prop: str) -> list[str]:
    return [str(v) for v in (entity.get("properties") or {}).get(prop) or []]


def _caption(entries: list[dict[str, Any]]) -> str:
    for entry in entries:
        names = _props(entry["entity"], "name")
        if names:
            return names[0]
    return str(entries[0]["entity"].get("id")) if entries else ""


def _cites(item: Mapping[str, Any], refs: set[str]) -> bool:
    if item["ref"] in refs:
        return True
    snap = item.get("snapshot") or {}
    accounts = {str(snap.get(k)) for k in ("orig_account", "bene_account", "account") if snap}
    return bool(accounts & refs)


def _amount(payment: Mapping[str, Any]) -> float:
    try:
        return float(payment.get("amount") or 0.0)
    except (TypeError, ValueError):
        return 0.0
