"""Who is on a traced channel and which payments carried it, read from the workspace.

A channel is a path of account numbers; an analyst reads holders, banks and countries, the
payments' own amounts, currencies and dates, and why an end is suspect (a narcotics flag, a
listed holder). `channel_facts` gathers exactly that for the accounts and payments of a
trace, so the graph files and pictures can say it without another query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from jalur.monitoring.flags import FLAGS_DDL, TOPICS
from jalur.monitoring.seeds import Seeds
from jalur.monitoring.trace import Tracing
from jalur.store import Store

_HOLDERS_SQL = """
WITH wanted AS (SELECT UNNEST(?::VARCHAR[]) AS account),
sides AS (
    SELECT orig_account AS account, orig_name AS holder, orig_bank AS bank,
           orig_country AS country FROM transactions
    WHERE orig_account IN (SELECT account FROM wanted)
    UNION ALL
    SELECT bene_account, bene_name, bene_bank, bene_country FROM transactions
    WHERE bene_account IN (SELECT account FROM wanted))
SELECT account, mode(holder) AS holder, mode(bank) AS bank, UPPER(mode(country)) AS country
FROM sides GROUP BY account
"""

_PAYMENTS_SQL = """
SELECT tx_id, "timestamp" AS at, orig_account AS orig, bene_account AS bene, amount,
       currency, COALESCE(amount_reporting, amount) AS value
FROM transactions WHERE tx_id IN (SELECT UNNEST(?::VARCHAR[]))
ORDER BY "timestamp", tx_id
"""


@dataclass(frozen=True)
class ChannelFacts:
    """Accounts (holder, bank, country, flags, listing) and payments of a trace's channels."""

    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    payments: list[dict[str, Any]] = field(default_factory=list)
    currency: str | None = None


def iso(value: datetime | int | float | None) -> str | None:
    """ISO 8601 in UTC with a Z, from a datetime or epoch seconds (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromtimestamp(value, UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def channel_facts(store: Store, tracing: Tracing, seeds: Seeds, currency: str) -> ChannelFacts:
    """The facts behind a trace: one row per account on a channel, every carrying payment."""
    channels = tracing.channels.to_pylist()
    accounts = sorted({a for ch in channels for a in ch["path"]})
    tx_ids = sorted({t for ch in channels for t in ch["tx_ids"]})
    return ChannelFacts(
        accounts=_accounts(store, accounts, seeds),
        payments=_payments(store, tx_ids),
        currency=currency,
    )


def _accounts(store: Store, accounts: list[str], seeds: Seeds) -> dict[str, dict[str, Any]]:
    if not accounts:
        return {}
    found = account_details(store, accounts)
    reasons = _flag_reasons(store, accounts)
    listed = _listings(seeds, accounts)
    return {
        account: {
            "holder": found.get(account, {}).get("holder"),
            "bank": found.get(account, {}).get("bank"),
            "country": found.get(account, {}).get("country"),
            "flags": [t for t in TOPICS if account in seeds.of(t)],
            "flag_reasons": reasons.get(account, []),
            "listed": listed.get(account),
        }
        for account in accounts
    }


def account_details(store: Store, accounts: list[str]) -> dict[str, dict[str, Any]]:
    """Holder, bank and country of each account as its payments name them most often."""
    if not accounts:
        return {}
    return {r["account"]: r for r in store.records(_HOLDERS_SQL, [accounts])}


def _flag_reasons(store: Store, accounts: Iterable[str]) -> dict[str, list[str]]:
    """Why an agency flagged each account ('drug: narcotics investigation …')."""
    store.ensure("monitoring.flags", FLAGS_DDL)
    rows = store.records(
        "SELECT account, topic, reason FROM account_flags "
        "WHERE account IN (SELECT UNNEST(?::VARCHAR[])) ORDER BY account, topic",
        [list(accounts)],
    )
    reasons: dict[str, list[str]] = {}
    for row in rows:
        reasons.setdefault(row["account"], []).append(f"{row['topic']}: {row['reason']}")
    return reasons


def _listings(seeds: Seeds, accounts: list[str]) -> dict[str, dict[str, Any]]:
    """The best screening hit of each account: whom its holder matched, on which list."""
    wanted = set(accounts)
    keep = ("party_name", "entity_id", "list_name", "source_id", "risk_class", "score")
    return {
        hit["account"]: {k: hit[k] for k in keep}
        for hit in seeds.hits.to_pylist()
        if hit["account"] in wanted
    }


def _payments(store: Store, tx_ids: list[str]) -> list[dict[str, Any]]:
    if not tx_ids:
        return []
    rows = store.execute(_PAYMENTS_SQL, [tx_ids]).fetchall()
    keys = ("tx_id", "time", "orig", "bene", "amount", "currency", "value")
    payments = [dict(zip(keys, row, strict=True)) for row in rows]
    for payment in payments:
        payment["time"] = iso(payment["time"])
    return payments
