"""What a case is about, pulled from the analytical DuckDB store: references plus a snapshot.

Cases refer to alerts, hits, channels, subjects, accounts and payments by id (the analytical
tables stay in DuckDB) and keep a snapshot of what each said when it was added, so a case still
shows its evidence after a new monitoring run replaced the alert or a new list version dropped
the entry. Everything is read through the other capabilities' public APIs (`monitoring`,
`screening`, `transactions`, `lists`); a missing id is a clear error naming it.

Snapshots by kind:
- subject: the FtM entity (`entity`), where it came from (`source`: lists, transactions or
  screening), its current list entries (`entries`: list, version, entities pointing at it such
  as the Sanction with its programme) and the screening hits on it (`screening`: score,
  matched alias, explanation of the features). `list` names the first list.
- account: the payment party seen holding it (name, bank, country, identifier) with its FtM
  holder (`holder`) and, from an alert or channel, its `role`.
- alert: the alert row (typology, score, explanation, features, facts) and its accounts.
- channel: amount, currency, hops, path(s), payments' ids, the trace that found it.
- hit: the stored screening hit (score, matched alias, explanation, list version).
- payment: the canonical payment row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jalur import lists, monitoring, screening, transactions
from jalur.cases.service import CaseError, Evidence
from jalur.model import entity_from_dict
from jalur.store import Store


def alert_evidence(store: Store, alert_id: str) -> list[Evidence]:
    """The alert with its explanation, its accounts, the payments behind it and the listed
    subjects screening matched to those accounts."""
    found = monitoring.alert_evidence(store, alert_id)
    if found is None:
        raise CaseError(f"no alert {alert_id} in the workspace (run `jalur monitor run` first)")
    accounts = found["accounts"]
    items = [Evidence("alert", alert_id, {**found["alert"], "accounts": accounts})]
    items += [_account(store, a["account"], a["role"]) for a in accounts]
    items += payment_evidence(store, found["tx_ids"])
    items += _screened_subjects(store, [a["account"] for a in accounts])
    return items


def channel_evidence(store: Store, channel_id: str) -> list[Evidence]:
    """A traced channel (amount, hops, paths), every account on it and its payments."""
    found = monitoring.channel(store, channel_id)
    if found is None:
        raise CaseError(
            f"no channel {channel_id} in the workspace (run `jalur trace` and use the id it prints)"
        )
    path = found["path"]
    items = [Evidence("channel", channel_id, found)]
    items += [_account(store, acc, _role(n, len(path))) for n, acc in enumerate(path)]
    items += payment_evidence(store, found["tx_ids"])
    items += _screened_subjects(store, path)
    return items


def hit_evidence(store: Store, hit: str) -> list[Evidence]:
    """A screening hit named `PARTY_ID/ENTITY_ID`: the hit, the listed subject, the party."""
    party, _, entity = hit.partition("/")
    row = screening.hit(store, party, entity) if party and entity else None
    if row is None:
        raise CaseError(f"no screening hit {hit} (give PARTY_ID/ENTITY_ID from `jalur screen`)")
    subject = _subject(store, entity, fallback=row)
    party_snapshot = _party_snapshot(store, party) or {"name": row.get("party_name")}
    return [Evidence("hit", hit, row), subject, Evidence("account", party, party_snapshot)]


def account_evidence(store: Store, account: str) -> list[Evidence]:
    """An account by number, with the party seen holding it and the listed subjects screening
    matched to it (as an alert's accounts bring them): a case on the account of a listed
    man is about him, and its report names him, not a payment party of unknown kind."""
    snapshot = _party_snapshot(store, account)
    if snapshot is None:
        raise CaseError(f"no account {account} among the payment parties (`jalur tx load` first)")
    return [Evidence("account", account, snapshot), *_screened_subjects(store, [account])]


def accounts_without_payments(store: Store, accounts: Iterable[str]) -> list[str]:
    """The accounts with no payment in the workspace (the party file still names them). A
    case on one is legitimate, as an activity report on its holder, but no transaction report
    can be made from it alone: the one who opens it is told at once."""
    return [a for a in dict.fromkeys(accounts) if not transactions.account_payments(store, a, 1)]


def subject_evidence(store: Store, subject: str) -> list[Evidence]:
    """A subject by FtM entity id: a list entry, or a payment party (`txp-…`)."""
    return [_subject(store, subject, fallback=None)]


def payment_evidence(store: Store, tx_ids: Iterable[str]) -> list[Evidence]:
    """Payments by id; one the workspace no longer holds keeps its id and says so."""
    wanted = list(dict.fromkeys(tx_ids))
    found = {str(p["tx_id"]): p for p in transactions.payments(store, wanted)}
    return [Evidence("payment", t, found.get(t) or {"missing": True}) for t in wanted]


def evidence_for(store: Store, kind: str, ref: str) -> list[Evidence]:
    """Evidence of one kind by id (what `cases add KIND REF` pulls in)."""
    readers: dict[str, Callable[[Store, str], list[Evidence]]] = {
        "alert": alert_evidence,
        "channel": channel_evidence,
        "hit": hit_evidence,
        "subject": subject_evidence,
        "account": account_evidence,
        "payment": lambda s, r: _known_payment(s, r),
    }
    if kind not in readers:
        raise CaseError(f"evidence {ref}: kind must be one of {', '.join(readers)}")
    return readers[kind](store, ref)


def _known_payment(store: Store, tx_id: str) -> list[Evidence]:
    found = payment_evidence(store, [tx_id])
    if found[0].snapshot.get("missing"):
        raise CaseError(f"no payment {tx_id} in the workspace")
    return found


def _subject(store: Store, entity_id: str, fallback: dict[str, Any] | None) -> Evidence:
    entries = lists.entity_entries(store, entity_id)
    hits = screening.entity_hits(store, entity_id)
    snapshot: dict[str, Any] = {"entries": entries, "screening": hits}
    if entries:
        entity = entity_from_dict(entries[0]["entity"])
        for entry in entries[1:]:
            entity.merge(entity_from_dict(entry["entity"]))
        snapshot.update(source="lists", list=entries[0]["list"])
    elif party := transactions.party_entities_of(store, entity_id):
        entity = party[0]
        snapshot.update(source="transactions", list=None, related=[e.to_dict() for e in party[1:]])
    elif fallback is not None:
        snapshot.update(source="screening", list=fallback.get("list_name"), entity=None,
                        caption=fallback.get("matched_alias"),
                        note="no longer in the current list versions")  # fmt: skip
        return Evidence("subject", entity_id, snapshot)
    else:
        raise CaseError(f"no subject {entity_id} in the current lists or among the payment parties")
    snapshot.update(entity=entity.to_dict(), caption=entity.caption, schema=entity.schema.name)
    return Evidence("subject", entity_id, snapshot)


def _screened_subjects(store: Store, accounts: Iterable[str]) -> list[Evidence]:
    """The listed subjects screening matched to these accounts (each once)."""
    seen: dict[str, Evidence] = {}
    for account in dict.fromkeys(accounts):
        for row in screening.party_hits(store, account):
            entity = str(row["entity_id"])
            if entity not in seen:
                seen[entity] = _subject(store, entity, fallback=row)
    return list(seen.values())


def _account(store: Store, account: str, role: str) -> Evidence:
    return Evidence("account", account, {**(_party_snapshot(store, account) or {}), "role": role})


def _party_snapshot(store: Store, account: str) -> dict[str, Any] | None:
    party = transactions.account_party(store, account)
    if party is None:
        return None
    holder = transactions.party_entities_of(store, str(party["party_id"]))
    return {**party, "holder": holder[0].to_dict() if holder else None}


def _role(position: int, length: int) -> str:
    if position == 0:
        return "source"
    return "sink" if position == length - 1 else "intermediate"
