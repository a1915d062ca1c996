"""Who is listed or flagged: screening hits and agency flags, by topic.

Screening (another capability) says which accounts belong to parties matched to listed
entities, with the risk class of the list entry; agencies add accounts themselves. Together
they seed the listed-counterparty typology, exposure and channel tracing. Monitoring works
without screening installed: then only flagged accounts are seeds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from jalur.monitoring.flags import TOPICS, flagged
from jalur.store import Store

log = logging.getLogger(__name__)

HITS_SCHEMA = pa.schema(
    [
        ("account", pa.string()),
        ("party_name", pa.string()),
        ("entity_id", pa.string()),
        ("list_name", pa.string()),
        ("source_id", pa.string()),
        ("risk_class", pa.string()),
        ("score", pa.float64()),
        ("matched_alias", pa.string()),
    ]
)

_RISK_RANK = {"terror": 0, "drug": 1, "sanction": 2}


@dataclass(frozen=True)
class Seeds:
    """Accounts by topic ('terror', 'drug'), and the best screening hit per account."""

    by_topic: dict[str, frozenset[str]]
    hits: pa.Table

    def of(self, topic: str) -> frozenset[str]:
        return self.by_topic.get(topic, frozenset())


def screening_hits(store: Store) -> pa.Table:
    """Screening's account hits, or none when screening is not installed."""
    try:
        from jalur.screening import account_hits
    except ImportError:
        log.warning("jalur.screening is not available: no listed-party seeds")
        return HITS_SCHEMA.empty_table()
    hits: pa.Table = account_hits(store)
    return hits.select(HITS_SCHEMA.names).cast(HITS_SCHEMA)


def on_lists(hits: pa.Table, lists: Iterable[str]) -> pa.Table:
    """Only the hits on `lists`: a run for someone who may see those lists only never seeds
    from an entry of another (its alerts would tell of a list they cannot see)."""
    allowed = set(lists)
    keep = [name in allowed for name in hits.column("list_name").to_pylist()]
    return hits.filter(pa.array(keep, pa.bool_()))


def best_hits(hits: pa.Table) -> pa.Table:
    """One hit per account: the gravest risk class, then the highest score."""
    best: dict[str, dict[str, object]] = {}
    for hit in hits.to_pylist():
        if not hit["account"]:
            continue
        rank = (_RISK_RANK.get(str(hit["risk_class"]), 9), -float(hit["score"] or 0.0))
        current = best.get(hit["account"])
        if current is None or rank < current["_rank"]:  # type: ignore[operator]
            best[hit["account"]] = {**hit, "_rank": rank}
    rows = [{k: v for k, v in hit.items() if k != "_rank"} for _, hit in sorted(best.items())]
    return pa.Table.from_pylist(rows, schema=HITS_SCHEMA)


def load_seeds(store: Store, hits: pa.Table | None = None, workspace: bool = True) -> Seeds:
    """Seeds from `hits` (default: screening's) and the store's flagged accounts.

    `workspace=False`: none of the workspace's own findings (flags, screening hits), only the
    `hits` given: a pass run for another agency than the workspace's own."""
    if hits is None:
        hits = screening_hits(store) if workspace else HITS_SCHEMA.empty_table()
    best = best_hits(hits)
    by_topic: dict[str, set[str]] = {
        topic: flagged(store, topic) if workspace else set() for topic in TOPICS
    }
    for account, risk in zip(
        best.column("account").to_pylist(), best.column("risk_class").to_pylist(), strict=True
    ):
        if risk in by_topic:
            by_topic[risk].add(account)
    return Seeds({k: frozenset(v) for k, v in by_topic.items()}, best)


def resolve(seeds: Seeds, names: list[str]) -> frozenset[str]:
    """Accounts named directly, or topics ('drug', 'terror') expanded to their seeds."""
    found: set[str] = set()
    for name in names:
        found |= seeds.of(name) if name in TOPICS else {name}
    return frozenset(found)
