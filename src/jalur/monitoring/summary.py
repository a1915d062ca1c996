"""What one monitoring pass found, as plain data for a one-page summary (`jalur monitor
report`, `monitor run --report`): alerts by typology, their scores, the accounts most
alerted (ranked by the sum of their best score in each typology, so an account several
typologies see comes first), and how much money exposure traced to terror and drug seeds.

Alert counts come from the run's own record (what it found when it ran); scores and top
accounts from the alerts it last found (an alert a later pass finds again moves to that
run); exposure is kept for the latest pass only, and is empty for earlier ones.
"""

from __future__ import annotations

import json
from typing import Any

from jalur.monitoring.channel_facts import account_details, iso
from jalur.monitoring.export import UnknownRunError
from jalur.monitoring.persist import ensure, latest_run
from jalur.store import Store

_ACCOUNTS_SQL = """
WITH per AS (
    SELECT x.account, a.typology, MAX(a.score) AS best, COUNT(DISTINCT a.alert_id) AS n
    FROM alerts a JOIN alert_accounts x ON x.alert_id = a.alert_id
    WHERE a.run_id = ? AND x.role = 'subject' GROUP BY x.account, a.typology)
SELECT account, SUM(n) AS alerts, MAX(best) AS best, SUM(best) AS weight,
       LIST(typology ORDER BY typology) AS typologies, LIST(best ORDER BY typology) AS scores
FROM per GROUP BY account ORDER BY weight DESC, best DESC, account LIMIT ?
"""

_EXPOSURE_SQL = """
SELECT topic, COUNT(*) AS accounts, COUNT(*) FILTER (WHERE score >= ?) AS above,
       SUM(amount) AS amount, MAX(score) AS best,
       len(list_distinct(flatten(LIST(seeds)))) AS seeds
FROM account_exposure WHERE run_id = ? GROUP BY topic ORDER BY topic
"""


def run_summary(
    store: Store, run_id: str | None = None, *, top: int = 10, min_exposure: float = 0.2
) -> dict[str, Any]:
    """The summary of `run_id` (default: the latest pass); unknown runs raise UnknownRunError."""
    ensure(store)
    chosen = run_id or latest_run(store)
    found = store.records("SELECT * FROM monitoring_runs WHERE run_id = ?", [chosen])
    if not found:
        hint = "no monitoring run yet: `jalur monitor run`" if chosen is None else f"{chosen!r}"
        raise UnknownRunError(f"no monitoring run {hint}")
    run = found[0]
    recorded = json.loads(run["summary"] or "{}")
    return {
        "run_id": chosen,
        "started": iso(_parsed(run["started"])),
        "finished": iso(_parsed(run["finished"])),
        "engine": run["engine"],
        "payments": run["payments"],
        "payments_loaded": recorded.get("payments_loaded"),  # None for runs before it was kept
        "alerts": run["alerts"],
        "by_typology": recorded.get("by_typology", {}),
        "seconds": recorded.get("seconds", {}),
        "scores": _scores(store, str(chosen)),
        "top_accounts": _top_accounts(store, str(chosen), top),
        "exposure": _exposure(store, str(chosen), min_exposure),
        "min_exposure": min_exposure,
    }


def _parsed(value: Any) -> Any:
    """`Store.records` gives times as ISO text; read them back to normalise to UTC Z."""
    from datetime import datetime

    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _scores(store: Store, run_id: str) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = {}
    for typology, score in store.execute(
        "SELECT typology, score FROM alerts WHERE run_id = ? ORDER BY typology, score", [run_id]
    ).fetchall():
        scores.setdefault(str(typology), []).append(float(score))
    return scores


def _top_accounts(store: Store, run_id: str, top: int) -> list[dict[str, Any]]:
    rows = store.records(_ACCOUNTS_SQL, [run_id, top])
    details = account_details(store, [r["account"] for r in rows])
    return [
        {
            **row,
            **{k: details.get(row["account"], {}).get(k) for k in ("holder", "bank", "country")},
        }
        for row in rows
    ]


def _exposure(store: Store, run_id: str, min_exposure: float) -> list[dict[str, Any]]:
    return store.records(_EXPOSURE_SQL, [min_exposure, run_id])
