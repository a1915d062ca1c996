"""What a case is about, pulled from the analytical DuckDB store: references plus a snapshot.

Cases refer to alerts, hits, accounts and payments by id (the analytical tables stay in DuckDB)
and keep a snapshot of what each said when it was added, so a case still shows its evidence
after a new monitoring run replaced the alert. Reads the tables monitoring, screening and
transactions persist; a missing id is a clear error naming it.
"""

from __future__ import annotations

from typing import Any

from jalur.cases.service import CaseError, Evidence
from jalur.store import Store


def alert_evidence(store: Store, alert_id: str) -> list[Evidence]:
    """The alert with its explanation, its accounts and the payments behind it."""
    alert = _one(store, "SELECT * FROM alerts WHERE alert_id = ?", [alert_id], "alerts")
    if alert is None:
        raise CaseError(f"no alert {alert_id} in the workspace (run `jalur monitor run` first)")
    accounts = _all(store, "SELECT * FROM alert_accounts WHERE alert_id = ?", [alert_id])
    found = [Evidence("alert", alert_id, {**alert, "accounts": accounts})]
    found += [Evidence("account", str(a["account"]), {"role": a["role"]}) for a in accounts]
    tx_ids = [
        r["tx_id"]
        for r in _all(store, "SELECT tx_id FROM alert_transactions WHERE alert_id = ?", [alert_id])
    ]
    found += [Evidence("payment", str(tx_id), _payment(store, str(tx_id))) for tx_id in tx_ids]
    return found


def hit_evidence(store: Store, hit: str) -> list[Evidence]:
    """A screening hit named `PARTY_ID/ENTITY_ID`: the hit and the listed subject."""
    party, _, entity = hit.partition("/")
    rows = _all(
        store,
        "SELECT * FROM screening_hits WHERE party_id = ? AND entity_id = ? ORDER BY score DESC",
        [party, entity],
    )
    if not rows:
        raise CaseError(f"no screening hit {hit} (give PARTY_ID/ENTITY_ID from `jalur screen`)")
    return [
        Evidence("hit", hit, rows[0]),
        Evidence("subject", entity, {"list": rows[0].get("list_name")}),
        Evidence("account", party, {"name": rows[0].get("party_name")}),
    ]


def account_evidence(store: Store, account: str) -> list[Evidence]:
    return [Evidence("account", account, _party(store, account))]


def subject_evidence(store: Store, subject: str) -> list[Evidence]:
    return [Evidence("subject", subject, {})]


def _payment(store: Store, tx_id: str) -> dict[str, Any]:
    return _one(store, "SELECT * FROM transactions WHERE tx_id = ?", [tx_id], "transactions") or {}


def _party(store: Store, account: str) -> dict[str, Any]:
    return _one(store, "SELECT * FROM tx_parties WHERE account = ?", [account], "tx_parties") or {}


def _one(store: Store, sql: str, params: list[Any], table: str) -> dict[str, Any] | None:
    if not _exists(store, table):
        return None
    rows = _all(store, sql + " LIMIT 1", params)
    return rows[0] if rows else None


def _all(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = store.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _exists(store: Store, table: str) -> bool:
    found = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(found and found[0])


def _plain(value: Any) -> Any:
    """JSON-safe: times and decimals as text, lists kept."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
