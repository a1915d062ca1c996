"""What the pages show, read through the service's access layer.

`WebAccess` is the API's `Access` (the one place that decides who sees what) with the few
reads the pages need beyond the API's routes: an entity's hits and cases, an account (the
network of a case or a traced channel and a case's goAML report are the API's own, in
`Access`, as the API's routes answer them too). Each starts from a record the
user is already allowed to see (`case`, `entity`), from the payments the user sees (an account:
the store is narrowed to them, as for the API) or from workspace data of the default agency
(flags, hits and channels carry no marking of their own yet and are shown only to that agency,
as the API does), so nothing here widens what a user sees.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import or_, select

from jalur import cases, monitoring, screening, transactions
from jalur.api import Access, NotFoundError
from jalur.api import network_graph as network_graph  # the pages' network view draws it
from jalur.reporting import ProfileError, load_profile
from jalur.sqlstore import schema
from jalur.users import WORK_CASES, list_users, may

#: Payments an account's page shows: the latest; the page says when there are more.
ACCOUNT_PAYMENTS = 200
_NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")


class WebAccess(Access):
    """The user's view of the workspace for one page."""

    def colleagues(self) -> list[str]:
        """People of the user's agency who may work a case (for assigning)."""
        return [
            u.name
            for u in list_users(self.engine)
            if not u.disabled
            and (u.agency or self.default_agency) == self.agency
            and may(u.role, WORK_CASES)
        ]

    def alert_typologies(self) -> list[str]:
        """Every typology among the alerts of the runs the user sees, for the queue's filter
        (from the store: a typology found only after the first thousand alerts is there too,
        and none of a run the user does not see)."""
        with self._store(payments=False) as store:
            rows = store.execute(
                """SELECT DISTINCT typology FROM alerts WHERE run_id IN (SELECT unnest(?))
                   ORDER BY typology""",
                [self._runs(store)],
            ).fetchall()
        return [str(r[0]) for r in rows]

    def cases_on_alerts(self, alert_ids: Iterable[str]) -> dict[str, str]:
        """The case the user sees already opened on each of these alerts (its active evidence
        holds the alert; the first to take it in when several do): one read for the alerts a
        page shows (`cases.cases_citing`), where reading every case's details to find them
        grew with every case."""
        wanted = sorted(set(alert_ids))
        if not wanted:
            return {}
        found: dict[str, str] = {}
        for cited in cases.cases_citing(self.reads, self.user, ("alert",), wanted, limit=None):
            found.setdefault(cited.ref, cited.case_id)
        return found

    # --- screening -------------------------------------------------------------------------

    def screen_shown(
        self, query: screening.Query, most: int, threshold: float | None = None
    ) -> tuple[list[screening.Hit], int, bool]:
        """The hits a page shows on the lists the user sees, best first: at most `most`, or
        the workspace's `max_hits` when that is fewer; how many that is; and whether more
        names hit. `Access.screen` gives `max_hits` at most and cannot say that more hit, so a
        page cut there passed for all there is (the one cut off may be the one)."""
        shown = min(most, self.service.screening.max_hits)
        allowed = set(self.visible_lists())
        current = max((v.version_id for v in self._current_versions()), default=0)
        hits = self.service.screening.screen(
            lambda: self._store(payments=False), query, threshold, current
        )
        found = [h for h in hits if h.entity.list_name in allowed]
        return found[:shown], shown, len(found) > shown

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
            with self._store(payments=False) as store:
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
        """Cases the user sees whose active evidence names one of `refs` (by its ref, or a
        payment by its payer's or payee's account): the evidence that may name them is read,
        not every case in full (a page grew slower with every case opened)."""
        ev = schema.case_evidence
        named = [ev.c.snapshot.contains(json.dumps(r, ensure_ascii=False), autoescape=True)
                 for r in sorted(refs)]  # fmt: skip
        with self.reads.connect() as con:
            rows = con.execute(
                select(ev.c.case_id, ev.c.kind, ev.c.ref, ev.c.snapshot).where(
                    ev.c.removed_at.is_(None), or_(ev.c.ref.in_(sorted(refs)), *named)
                )
            ).mappings()
            citing = {
                str(r["case_id"])
                for r in rows
                if _cites({"ref": r["ref"], "snapshot": json.loads(r["snapshot"])}, refs)
            }
        return [summary for summary in self.cases() if summary["case_id"] in citing]

    # --- accounts --------------------------------------------------------------------------

    def account(self, account: str) -> dict[str, Any]:
        """An account among the payments the user sees (the store is narrowed to them), its
        latest payments first (one more is read than is shown, so that the page says when
        there are more); its flags and screening hits are the default agency's findings,
        shown to it only."""
        with self._store() as store:
            party = transactions.account_party(store, account)
            paid = store.records(
                """SELECT * FROM transactions WHERE orig_account = ? OR bene_account = ?
                   ORDER BY "timestamp" DESC, tx_id DESC LIMIT ?""",
                [account, account, ACCOUNT_PAYMENTS + 1],
            )
            if party is None and not paid:
                raise NotFoundError(f"no account {account}")
            ours = self.agency == self.default_agency
            seeds = monitoring.load_seeds(store, workspace=ours)
            hits = screening.party_hits(store, account) if ours else []
        return {
            "account": account,
            "party": party or {},
            "flags": [t for t in ("drug", "terror") if account in seeds.of(t)],
            "payments": paid[:ACCOUNT_PAYMENTS],
            "more_payments": len(paid) > ACCOUNT_PAYMENTS,
            "shown_payments": ACCOUNT_PAYMENTS,
            "hits": hits,
            "cases": self._cases_citing({account}),
        }


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


#: The report codes a page offers when the workspace's profile cannot be read (PPATK's, the
#: default profile's); the report itself then names the profile's problem.
_FALLBACK_CODES = ("LTKM", "LTKMT", "LAPT")
_XS = "http://www.w3.org/2001/XMLSchema"


@dataclass(frozen=True)
class ReportChoices:
    """What a case's report forms offer from the FIU's profile: its report codes (the
    proposal's report type) and the red-flag indicator codes its schema enumerates, each with
    what it means (none: the schema takes any text, and the form is a text box)."""

    report_codes: tuple[str, ...]
    indicators: tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=8)
def report_choices(profile: str) -> ReportChoices:
    """The choices of the profile named in `[reporting] profile` (a shipped name or a file),
    read once per process: loading a profile compiles its XSD, too slow for every case page.
    What is sent is still checked against the profile when the report is made."""
    try:
        loaded = load_profile(profile)
    except ProfileError:
        return ReportChoices(_FALLBACK_CODES, ())
    return ReportChoices(tuple(loaded.report_codes), indicator_codes(loaded.schema_path))


def indicator_codes(schema: Path) -> tuple[tuple[str, str], ...]:
    """The codes goAML's `report_indicators/indicator` may hold in this XSD, each with the
    comment the FIU wrote beside it (its meaning), in the schema's order."""
    tree = etree.parse(str(schema))
    found = tree.xpath(
        "//xs:element[@name='report_indicators']//xs:element[@name='indicator']/@type",
        namespaces={"xs": _XS},
    )
    if not found:
        return ()
    kind = str(found[0]).rpartition(":")[2]
    options = tree.xpath(
        "//xs:simpleType[@name=$kind]//xs:enumeration", namespaces={"xs": _XS}, kind=kind
    )
    codes: list[tuple[str, str]] = []
    for option in options:
        said = [w for c in option if isinstance(c, etree._Comment) for w in str(c.text).split()]
        codes.append((str(option.get("value")), " ".join(said)))
    return tuple(codes)
