"""One alert or one account as an analyst reads it, gathered from the workspace's tables.

`alert_view`: the alert's explanation and features, its payments, its accounts with their
holders, and the other alerts on the same accounts. `account_view`: the holder, a summary of
the account's payments, its alerts, its exposure, its flags and its screening hits. Both are
plain dicts of JSON-safe values (the `--json` output); None when the id is unknown.
"""

from __future__ import annotations

import json
from typing import Any

from jalur.monitoring.flags import FLAGS_DDL
from jalur.monitoring.persist import alert_evidence, ensure
from jalur.store import Store

#: Payments shown in a view (the summary always counts every payment).
MAX_PAYMENTS = 200

_PAYMENT_COLUMNS = """tx_id, timestamp, orig_account, orig_name, orig_bank, orig_country,
    bene_account, bene_name, bene_bank, bene_country, amount, currency, amount_reporting,
    channel, purpose"""


def alert_view(store: Store, alert_id: str) -> dict[str, Any] | None:
    """The alert with its payments, accounts (role, holder) and related alerts."""
    evidence = alert_evidence(store, alert_id)
    if evidence is None:
        return None
    alert = evidence["alert"]
    for key in ("features", "facts"):
        alert[key] = json.loads(alert[key]) if alert.get(key) else {}
    accounts = [a["account"] for a in evidence["accounts"]]
    holders = _holders(store, accounts)
    return {
        **alert,
        "accounts": [{**a, **holders.get(a["account"], {})} for a in evidence["accounts"]],
        "payments": _payments_by_id(store, evidence["tx_ids"]),
        "related_alerts": _alerts_of(store, accounts, exclude=alert_id),
    }


def account_view(store: Store, account: str) -> dict[str, Any] | None:
    """What the workspace knows about one account; None when nothing mentions it."""
    ensure(store)
    store.ensure("monitoring-flags", FLAGS_DDL)
    summary = _payment_summary(store, account)
    alerts = _alerts_of(store, [account])
    flags = store.records(
        "SELECT topic, reason, source_file, flagged_at FROM account_flags WHERE account = ?",
        [account],
    )
    if not summary["payments"] and not alerts and not flags:  # nothing mentions it
        return None
    return {
        "account": account,
        "holder": _holders(store, [account]).get(account, {}),
        "payments": summary,
        "alerts": alerts,
        "exposure": store.records(
            """SELECT topic, score, share_in, share_out, hops, amount, seeds, run_id
               FROM account_exposure WHERE account = ? ORDER BY score DESC""",
            [account],
        ),
        "flags": flags,
        "screening_hits": _screening_hits(store, account),
    }


def _screening_hits(store: Store, account: str) -> list[dict[str, Any]]:
    """The stored hits of the account's holder on listed entities (none without screening)."""
    try:
        from jalur.screening import party_hits
    except ImportError:  # as `seeds.screening_hits`: monitoring runs without screening
        return []
    return party_hits(store, account)


def _has_payments(store: Store) -> bool:
    row = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'transactions'"
    ).fetchone()
    return bool(row and row[0])


def _holders(store: Store, accounts: list[str]) -> dict[str, dict[str, Any]]:
    """Each account's holder names, banks, countries and identifiers as the payments give them."""
    if not accounts or not _has_payments(store):
        return {}
    rows = store.records(
        """SELECT account, list(DISTINCT name ORDER BY name) FILTER (name IS NOT NULL) AS names,
                  list(DISTINCT bank ORDER BY bank) FILTER (bank IS NOT NULL) AS banks,
                  list(DISTINCT country ORDER BY country)
                      FILTER (country IS NOT NULL) AS countries,
                  list(DISTINCT identifier ORDER BY identifier)
                      FILTER (identifier IS NOT NULL) AS identifiers
           FROM (SELECT orig_account AS account, orig_name AS name, orig_bank AS bank,
                        orig_country AS country, orig_identifier AS identifier
                 FROM transactions WHERE orig_account IN (SELECT unnest(?::VARCHAR[]))
                 UNION ALL
                 SELECT bene_account, bene_name, bene_bank, bene_country, bene_identifier
                 FROM transactions WHERE bene_account IN (SELECT unnest(?::VARCHAR[])))
           GROUP BY account""",
        [accounts, accounts],
    )
    return {
        r["account"]: {k: r[k] or [] for k in ("names", "banks", "countries", "identifiers")}
        for r in rows
    }


def _payments_by_id(store: Store, tx_ids: list[str]) -> list[dict[str, Any]]:
    if not tx_ids or not _has_payments(store):
        return []
    return store.records(
        f"""SELECT {_PAYMENT_COLUMNS} FROM transactions
            WHERE tx_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY timestamp, tx_id LIMIT ?""",
        [tx_ids, MAX_PAYMENTS],
    )


def _alerts_of(
    store: Store, accounts: list[str], exclude: str | None = None
) -> list[dict[str, Any]]:
    """Alerts naming any of `accounts` (as subject or involved), best first."""
    if not accounts:
        return []
    return store.records(
        """SELECT a.alert_id, a.typology, a.account AS subject, a.score, a.run_id,
                  list(DISTINCT x.account ORDER BY x.account) AS shared_accounts,
                  min(x.role) AS role, a.explanation
           FROM alerts a JOIN alert_accounts x ON x.alert_id = a.alert_id
           WHERE x.account IN (SELECT unnest(?::VARCHAR[])) AND a.alert_id <> ?
           GROUP BY ALL ORDER BY a.score DESC, a.alert_id""",
        [accounts, exclude or ""],
    )


def _payment_summary(store: Store, account: str) -> dict[str, Any]:
    """Counts and totals of the payments in and out, by currency, first and last payment."""
    empty: dict[str, Any] = {"payments": 0, "by_direction": [], "recent": []}
    if not _has_payments(store):
        return empty
    by_direction = store.records(
        """SELECT direction, currency, count(*) AS payments, sum(amount) AS amount,
                  sum(amount_reporting) AS amount_reporting,
                  count(DISTINCT counterparty) AS counterparties,
                  min(timestamp) AS first, max(timestamp) AS last
           FROM (SELECT 'out' AS direction, currency, amount, amount_reporting,
                        bene_account AS counterparty, timestamp
                 FROM transactions WHERE orig_account = ?
                 UNION ALL
                 SELECT 'in', currency, amount, amount_reporting, orig_account, timestamp
                 FROM transactions WHERE bene_account = ?)
           GROUP BY direction, currency ORDER BY direction, currency""",
        [account, account],
    )
    if not by_direction:
        return empty
    recent = store.records(
        f"""SELECT {_PAYMENT_COLUMNS} FROM transactions
            WHERE orig_account = ? OR bene_account = ?
            ORDER BY timestamp DESC, tx_id LIMIT 20""",
        [account, account],
    )
    # each payment once: one to the account's own account is both in and out above
    counted = store.execute(
        "SELECT count(*) FROM transactions WHERE orig_account = ? OR bene_account = ?",
        [account, account],
    ).fetchone()
    total = int(counted[0]) if counted else 0
    return {"payments": total, "by_direction": by_direction, "recent": recent}
