"""Screening the parties the workspace knows: payment parties and customers screened before.

`screen_parties` screens every distinct originator and beneficiary of the `transactions` table
and keeps the hits; `account_hits` is what monitoring reads (which accounts belong to listed
parties, and why they are listed). `rescreen` runs after a new list version and screens every
known party against only the entries that version added or changed — the FATF R.6 "without
delay" check — so a whole re-screening is never needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

from jalur import scope
from jalur.lists import current_versions, deltas_since, last_delta
from jalur.screening.config import ScreeningConfig
from jalur.screening.decisions import CLEARED, Decisions, Tally
from jalur.screening.features import Query
from jalur.screening.fields import FieldWarning, inert, read_query
from jalur.screening.scoring import Hit
from jalur.screening.screener import Screener
from jalur.screening.store import ensure_tables, has_table, set_state, state, write_hits
from jalur.store import Store

log = logging.getLogger(__name__)

TRANSACTIONS = "transactions"
CUSTOMERS = "customers"
_RESCREEN_KEY = "rescreened_version"
_BATCH = 5000

ACCOUNT_HITS_SCHEMA = pa.schema(
    [
        ("account", pa.string()), ("party_name", pa.string()), ("entity_id", pa.string()),
        ("list_name", pa.string()), ("source_id", pa.string()), ("risk_class", pa.string()),
        ("score", pa.float64()), ("matched_alias", pa.string()),
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Party:
    """A party to screen: who it is to us (source, id) and what we know of it."""

    source: str
    party_id: str
    query: Query
    warnings: tuple[FieldWarning, ...] = ()


@dataclass
class PartyReport:
    """What a parties screen or a rescreen did."""

    parties: int = 0
    screened_against: int = 0  # listed entities the parties were compared with
    hits: list[dict[str, Any]] = field(default_factory=list)
    warnings: int = 0  # refining values the parties were screened without
    warning_messages: list[str] = field(default_factory=list)
    decided: Tally = field(default_factory=Tally)  # hits of cleared pairs (`decisions`)

    def count(self, parties: list[Party]) -> None:
        """Count a chunk of parties and the values they were screened without."""
        self.parties += len(parties)
        for party in parties:
            self.warnings += len(party.warnings)
            room = _KEPT_WARNINGS - len(self.warning_messages)
            self.warning_messages += [
                f"{party.source} {inert(party.party_id)}: {w}"
                for w in party.warnings[: max(room, 0)]
            ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "parties": self.parties,
            "screened_against": self.screened_against,
            "hit_count": len(self.hits),
            "warnings": self.warnings,
            **self.decided.as_dict(),
            "hits": self.hits,
            "warning_messages": self.warning_messages,
        }


#: Warning messages kept in a report (all are counted).
_KEPT_WARNINGS = 1000


def payment_parties(store: Store, account: str | None = None) -> Iterator[Party]:
    """Distinct (account, name) originators and beneficiaries of the transactions table (of
    one account only, when given)."""
    if not has_table(store, TRANSACTIONS):
        return
    cursor = scope.cursor(store)
    cursor.execute(
        """SELECT account, name, any_value(country), any_value(identifier) FROM (
             SELECT orig_account AS account, orig_name AS name, orig_country AS country,
                    orig_identifier AS identifier FROM transactions
             UNION ALL
             SELECT bene_account, bene_name, bene_country, bene_identifier FROM transactions)
           WHERE name IS NOT NULL AND trim(name) <> '' AND (? IS NULL OR account = ?)
           GROUP BY account, name ORDER BY account, name""",
        [account, account],
    )
    while batch := cursor.fetchmany(_BATCH):
        for found, name, country, identifier in batch:
            party_id = found if found else f"name:{name}"
            query, warnings = read_query(name, None, country, identifier)
            yield Party(TRANSACTIONS, party_id, query, tuple(warnings))


def payment_party_count(store: Store) -> int:
    """How many parties `payment_parties` gives (for a progress bar's total)."""
    if not has_table(store, TRANSACTIONS):
        return 0
    row = store.execute(
        """SELECT count(*) FROM (SELECT DISTINCT account, name FROM (
             SELECT orig_account AS account, orig_name AS name FROM transactions
             UNION ALL SELECT bene_account, bene_name FROM transactions)
           WHERE name IS NOT NULL AND trim(name) <> '')"""
    ).fetchone()
    return int(row[0]) if row else 0


def known_customers(store: Store) -> Iterator[Party]:
    ensure_tables(store)
    rows = store.execute(
        "SELECT party_id, name, birth_date, country, identifier, schema FROM screening_parties"
    ).fetchall()
    for party_id, name, birth_date, country, identifier, schema in rows:
        query, warnings = read_query(name, birth_date, country, identifier, schema)
        yield Party(CUSTOMERS, party_id, query, tuple(warnings))


def known_party(store: Store, party_id: str) -> Party | None:
    """A customer remembered from a batch or `screen name --customer-id`, else the payment
    party with that account (its first name, in name order, when it used several)."""
    ensure_tables(store)
    row = store.execute(
        """SELECT name, birth_date, country, identifier, schema FROM screening_parties
           WHERE party_id = ?""",
        [party_id],
    ).fetchone()
    if row is not None:
        query, warnings = read_query(*row)
        return Party(CUSTOMERS, party_id, query, tuple(warnings))
    return next(payment_parties(store, party_id), None)


def screen_parties(
    store: Store,
    screener: Screener,
    threshold: float | None = None,
    include_cleared: bool = False,
    on_parties: Callable[[int], None] | None = None,
) -> PartyReport:
    """Screen every payment party; the hits replace those of the previous parties screen.

    `on_parties` hears how many parties each chunk screened (of `payment_party_count`).

    A cleared pair's hit is left out (`decisions`; with `include_cleared` reported, marked,
    but never kept for monitoring).
    """
    report = PartyReport(screened_against=screener.index.entity_count)
    versions = list_numbers(store)
    decisions = Decisions.load(store)
    for parties in _chunks(payment_parties(store)):
        report.count(parties)
        results = screener.screen_many([p.query for p in parties], threshold)
        for party, hits in zip(parties, results, strict=True):
            rows = [hit_row(party, hit, versions) for hit in hits]
            report.hits += decisions.sift(
                party.party_id, party.query, rows, report.decided, include_cleared
            )
        if on_parties:
            on_parties(len(parties))
    write_hits(store, _kept(report.hits), replace_source=TRANSACTIONS)
    return report


def _kept(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hits to store: a cleared pair's hit is reported at most, never kept."""
    return [row for row in rows if row.get("decision") != CLEARED]


def rescreen(
    store: Store,
    config: ScreeningConfig,
    threshold: float | None = None,
    include_cleared: bool = False,
) -> PartyReport:
    """Screen all known parties against only the entries added or changed since the last run.

    The parties are screened against the whole current lists, and only the hits on added or
    changed entries are kept: a hit's score depends on the rest of its list (`name_rival`:
    an older entry may fit the name better, and word rarity is the list's), so a re-screen
    reports exactly what a full screen would on those entries. Cleared pairs as in
    `screen_parties`: a changed entry is shown again, marked `previously_cleared`.
    """
    since = state(store, _RESCREEN_KEY)
    wanted = _changed_entries(store, since)
    newest = max((v.version_id for v in current_versions(store)), default=0)
    versions = list_numbers(store)
    screener = Screener.from_store(store, replace(config, max_hits=_ALL_HITS)) if wanted else None
    current = {entry for entry in wanted if screener.index.holds(*entry)} if screener else set()
    report = PartyReport(screened_against=len(current))
    if screener is not None and current:
        decisions = Decisions.load(store)
        for chunk in _chunks(_all_parties(store)):
            report.count(chunk)
            results = screener.screen_many([p.query for p in chunk], threshold)
            for party, hits in zip(chunk, results, strict=True):
                changed = [h for h in hits if (h.entity.list_name, h.entity.entity_id) in current]
                rows = [hit_row(party, hit, versions) for hit in changed[: config.max_hits]]
                report.hits += decisions.sift(
                    party.party_id, party.query, rows, report.decided, include_cleared
                )
        write_hits(store, _kept(report.hits), replace_source=None)
    else:
        report.parties = sum(1 for _ in _all_parties(store))
    set_state(store, _RESCREEN_KEY, newest)
    return report


#: A re-screen keeps the hits on changed entries among all of a party's hits: enough of them.
_ALL_HITS = 1000


def _all_parties(store: Store) -> Iterator[Party]:
    yield from known_customers(store)
    yield from payment_parties(store)


def _changed_entries(store: Store, since: int | None) -> set[tuple[str, str]]:
    """(list, entity id) added or changed after version `since` (first run: each list's last)."""
    if since is None:
        return {
            (version.list_name, entity_id)
            for version in current_versions(store)
            for change, ids in last_delta(store, version.list_name).items()
            if change != "removed"
            for entity_id in ids
        }
    return {
        (list_name, entity_id)
        for list_name, entity_id, change in deltas_since(store, since)
        if change != "removed"
    }


def list_numbers(store: Store) -> dict[str, int]:
    """Each list's current version as `jalur lists show` numbers it (per list: `un-sc` 3).

    A hit records the version of its own list: the store-wide `version_id` (the newest of any
    list) read as "version 12" of a list that had four, next to its true number."""
    return {v.list_name: v.version for v in current_versions(store)}


def hit_row(party: Party, hit: Hit, versions: dict[str, int]) -> dict[str, Any]:
    """A hit as reported and stored, with the current version of the entry's list."""
    return {
        "party_source": party.source,
        "party_id": party.party_id,
        "party_name": party.query.name,
        "entity_id": hit.entity.entity_id,
        "list_name": hit.entity.list_name,
        "source_id": hit.entity.source_id,
        **hit.entity_facts(),  # reported, not stored: the list store holds them
        "risk_class": hit.entity.risk.value,
        "score": hit.score,
        "matched_alias": hit.matched_alias,
        "explanation": hit.explanation(),
        "list_version": versions.get(hit.entity.list_name),
    }


def account_hits(store: Store, min_score: float | None = None) -> pa.Table:
    """Accounts of payment parties that hit a listed entity: the best score per pair.

    Columns: account, party_name, entity_id, list_name, source_id, risk_class ('terror' |
    'drug' | 'sanction'), score (float64), matched_alias. Empty (same columns) before any
    `jalur screen parties` run.
    """
    ensure_tables(store)
    table = store.execute(
        """SELECT party_id AS account, arg_max(party_name, score) AS party_name, entity_id,
                  list_name, arg_max(source_id, score) AS source_id,
                  arg_max(risk_class, score) AS risk_class, max(score) AS score,
                  arg_max(matched_alias, score) AS matched_alias
           FROM screening_hits
           WHERE party_source = ? AND score >= ?
           GROUP BY party_id, entity_id, list_name
           ORDER BY score DESC, account, entity_id""",
        [TRANSACTIONS, min_score if min_score is not None else 0.0],
    ).to_arrow_table()
    return table.cast(ACCOUNT_HITS_SCHEMA)


def listed_accounts(
    store: Store,
    config: ScreeningConfig,
    lists: Sequence[str],
    threshold: float | None = None,
    decisions: Decisions | None = None,
) -> pa.Table:
    """Accounts of the payment parties the store shows that hit an entry of `lists`: screened
    now, kept nowhere (the same columns as `account_hits`).

    What a monitoring run seeds from when it runs for someone who may see some lists only (the
    service's agencies): their payments' parties, against their lists. The index holds those
    lists alone, so no other list takes part in a score (word rarity, rival entries) or crowds
    a hit out of the `max_hits` kept, and a caller who sees no list gets no hit. `decisions`
    (the workspace's, for its own agency) leave out the pairs cleared as false positives, as
    `screen_parties` does; another agency's run is given none (they are not its findings).
    """
    if not lists:
        return ACCOUNT_HITS_SCHEMA.empty_table()
    screener = Screener.from_store(store, config, lists=lists)
    if not screener.index.entity_count:
        return ACCOUNT_HITS_SCHEMA.empty_table()
    best: dict[tuple[str, str, str], dict[str, Any]] = {}
    for parties in _chunks(payment_parties(store)):
        results = screener.screen_many([p.query for p in parties], threshold)
        for party, hits in zip(parties, results, strict=True):
            rows = [_account_hit(party, hit) for hit in hits]
            if decisions is not None:
                rows = decisions.sift(party.party_id, party.query, rows, Tally())
            for row in rows:
                key = (row["account"], row["entity_id"], row["list_name"])
                if key not in best or best[key]["score"] < row["score"]:
                    best[key] = {name: row[name] for name in ACCOUNT_HITS_SCHEMA.names}
    rows = sorted(best.values(), key=lambda r: (-r["score"], r["account"], r["entity_id"]))
    return pa.Table.from_pylist(rows, schema=ACCOUNT_HITS_SCHEMA)


def _account_hit(party: Party, hit: Hit) -> dict[str, Any]:
    return {
        "account": party.party_id, "party_name": party.query.name,
        "entity_id": hit.entity.entity_id, "list_name": hit.entity.list_name,
        "source_id": hit.entity.source_id, "risk_class": hit.entity.risk.value,
        "score": hit.score, "matched_alias": hit.matched_alias,
    }  # fmt: skip


def _chunks(parties: Iterator[Party]) -> Iterator[list[Party]]:
    chunk: list[Party] = []
    for party in parties:
        chunk.append(party)
        if len(chunk) >= _BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
