"""The monitoring tables in the workspace store: runs, alerts, their accounts and payments,
the latest exposure of every account, and the traced funding channels.

A pass writes all of it in one transaction. Re-finding an alert replaces it (same id);
alerts a later pass no longer finds stay, marked with the run that last found them;
`alert_runs` keeps every pass that found each alert. Channels
work the same way: `jalur trace` records each channel under its stable id (replacing the same
channel of an earlier trace), with the trace that last found it. `alert_evidence` and `channel`
read one of them back by id for the capabilities that cite them (cases).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pyarrow as pa

from jalur.monitoring.alerts import Alert
from jalur.monitoring.trace import Tracing
from jalur.store import Store

DDL = [
    """CREATE TABLE IF NOT EXISTS monitoring_runs (
        run_id VARCHAR PRIMARY KEY, started TIMESTAMPTZ NOT NULL, finished TIMESTAMPTZ,
        engine VARCHAR NOT NULL, payments BIGINT, alerts INTEGER, summary VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS alerts (
        alert_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, typology VARCHAR NOT NULL,
        account VARCHAR NOT NULL, score DOUBLE NOT NULL, explanation VARCHAR NOT NULL,
        features VARCHAR, facts VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS alert_accounts (
        alert_id VARCHAR NOT NULL, account VARCHAR NOT NULL, role VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS alert_transactions (
        alert_id VARCHAR NOT NULL, tx_id VARCHAR NOT NULL)""",
    # Every pass that found each alert (`alerts` holds an alert once, under the last pass):
    # the export of an earlier pass writes the alerts it found, not only those no pass found
    # again since. Passes before this table have none; their alerts are found by `run_id`.
    """CREATE TABLE IF NOT EXISTS alert_runs (
        alert_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS account_exposure (
        run_id VARCHAR NOT NULL, account VARCHAR NOT NULL, topic VARCHAR NOT NULL,
        score DOUBLE, share_in DOUBLE, share_out DOUBLE, hops INTEGER, amount DOUBLE,
        seeds VARCHAR[], tx_ids VARCHAR[])""",
    """CREATE TABLE IF NOT EXISTS channels (
        channel_id VARCHAR PRIMARY KEY, trace_id VARCHAR NOT NULL,
        traced_at TIMESTAMPTZ NOT NULL, source VARCHAR NOT NULL, sink VARCHAR NOT NULL,
        amount DOUBLE NOT NULL, currency VARCHAR, hops INTEGER NOT NULL,
        paths VARCHAR NOT NULL, tx_ids VARCHAR[] NOT NULL, allocation VARCHAR NOT NULL,
        max_hops INTEGER, first_departure BIGINT, last_arrival BIGINT, duration_s BIGINT)""",
]


#: Replace re-found alerts: delete same-id rows, then insert the new ones.
_REPLACE = [
    f"{verb} {table} {rest}"
    for table in ("alerts", "alert_accounts", "alert_transactions")
    for verb, rest in (
        ("DELETE FROM", "WHERE alert_id IN (SELECT alert_id FROM new_alerts)"),
        ("INSERT INTO", f"SELECT * FROM new_{table}"),
    )
]


def ensure(store: Store) -> None:
    store.ensure("monitoring", DDL)


def save_run(
    store: Store,
    run: dict[str, object],
    alerts: list[Alert],
    exposure: pa.Table | None,
) -> None:
    """Record one pass: its alerts (replacing same-id ones) and, if measured, exposure."""
    ensure(store)
    tables = _alert_tables(str(run["run_id"]), alerts)
    with store.transaction() as con:
        con.execute(
            "INSERT INTO monitoring_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [run[k] for k in ("run_id", "started", "finished", "engine", "payments")]
            + [len(alerts), json.dumps(run["summary"])],
        )
        for name, table in tables.items():
            con.register(f"new_{name}", table)
        for statement in _REPLACE:
            con.execute(statement)
        con.execute("INSERT INTO alert_runs SELECT alert_id, run_id FROM new_alerts")
        if exposure is not None:
            con.register("new_exposure", exposure)
            con.execute("DELETE FROM account_exposure")
            con.execute(
                "INSERT INTO account_exposure SELECT ?, * FROM new_exposure", [run["run_id"]]
            )
            con.unregister("new_exposure")
        for name in tables:
            con.unregister(f"new_{name}")


def _alert_tables(run_id: str, alerts: list[Alert]) -> dict[str, pa.Table]:
    main = pa.table(
        {
            "alert_id": [a.alert_id for a in alerts],
            "run_id": [run_id] * len(alerts),
            "typology": [a.typology for a in alerts],
            "account": [a.account for a in alerts],
            "score": pa.array([a.score for a in alerts], pa.float64()),
            "explanation": [a.explanation for a in alerts],
            "features": [json.dumps(a.features) for a in alerts],
            "facts": [json.dumps(a.facts, default=str) for a in alerts],
        },
        schema=pa.schema(
            [
                (n, pa.float64() if n == "score" else pa.string())
                for n in (
                    "alert_id",
                    "run_id",
                    "typology",
                    "account",
                    "score",
                    "explanation",
                    "features",
                    "facts",
                )
            ]
        ),
    )
    accounts = [
        (a.alert_id, acc, "subject" if acc in subjects else "involved")
        for a in alerts
        for subjects in [set(a.subjects)]
        for acc in a.accounts
    ]
    txs = [(a.alert_id, tx) for a in alerts for tx in a.tx_ids]
    return {
        "alerts": main,
        "alert_accounts": pa.table(
            {
                n: pa.array([r[i] for r in accounts], pa.string())
                for i, n in enumerate(("alert_id", "account", "role"))
            }
        ),
        "alert_transactions": pa.table(
            {
                n: pa.array([r[i] for r in txs], pa.string())
                for i, n in enumerate(("alert_id", "tx_id"))
            }
        ),
    }


def latest_run(store: Store, typology: str | None = None) -> str | None:
    """The latest pass; with `typology`, the latest pass that ran it (None: none did).

    A pass of some typologies (`monitor run --typology cycle`) leaves the other typologies'
    alerts of the pass before it as they were: they are still the latest of their kind, and
    `alerts show --typology fan_in` said there were none."""
    ensure(store)
    runs = store.execute(
        "SELECT run_id, summary FROM monitoring_runs ORDER BY started DESC, run_id DESC"
    ).fetchall()
    for run_id, summary in runs:
        if typology is None or _ran(summary, typology):
            return str(run_id)
    return None


def not_found_again(
    store: Store, stages: list[str], found: set[str], owner: str | None = None
) -> dict[str, int]:
    """Per typology, the alerts of the latest earlier pass (of the same `owner`) that ran it
    which this pass, finding `found`, does not find again; run before this pass is saved.

    A pass reads every payment loaded: payments added since can make an alert's pattern
    ordinary (a fan account busy in more than `max_windows` windows, or its burst under
    `min_share` of its payments), so the pass over them finds what a pass from scratch finds,
    and the earlier alert stays stored under the pass that last found it. The run says how
    many, so the analyst is not left to compare two alert lists."""
    ensure(store)
    dropped: dict[str, int] = {}
    for stage in stages:
        earlier = _latest_of(store, stage, owner)
        if earlier is None:
            continue
        ids = store.execute(
            """SELECT alert_id, typology FROM alerts WHERE run_id = ? OR alert_id IN
                   (SELECT alert_id FROM alert_runs WHERE run_id = ?)""",
            [earlier, earlier],
        ).fetchall()
        for alert_id, typology in ids:
            if _stage_of(str(typology)) == stage and alert_id not in found:
                dropped[str(typology)] = dropped.get(str(typology), 0) + 1
    return dict(sorted(dropped.items()))


def _stage_of(typology: str) -> str:
    """The stage that finds a typology's alerts (`terror_exposure`: the exposure measure)."""
    return "exposure" if typology.endswith("_exposure") else typology


def _latest_of(store: Store, stage: str, owner: str | None) -> str | None:
    """The latest stored pass of `owner` (None: the workspace's own) that ran `stage`."""
    runs = store.execute(
        "SELECT run_id, summary FROM monitoring_runs ORDER BY started DESC, run_id DESC"
    ).fetchall()
    for run_id, summary in runs:
        if _ran(summary, stage) and _owner(summary) == owner:
            return str(run_id)
    return None


def _owner(summary: str | None) -> str | None:
    """The agency a stored pass ran for (`owner` in its summary; none: the workspace's)."""
    try:
        owner = json.loads(summary or "{}").get("owner")
    except (ValueError, AttributeError):
        return None
    return str(owner) if owner is not None else None


def _ran(summary: str | None, typology: str) -> bool:
    """Whether the pass whose stored summary this is ran `typology` (every typology it ran
    has its seconds there; a summary without them is taken to have run every one)."""
    try:
        seconds = json.loads(summary or "{}").get("seconds")
    except (ValueError, AttributeError):
        seconds = None
    if not isinstance(seconds, dict):
        return True
    return _stage_of(typology) in seconds


def started_at(value: datetime) -> str:
    return value.strftime("RUN-%Y%m%dT%H%M%S%fZ")


def save_channels(
    store: Store, tracing: Tracing, trace_id: str, traced_at: datetime, currency: str
) -> int:
    """Record one trace's channels under their stable ids (replacing the same channels)."""
    ensure(store)
    rows = [
        {
            "channel_id": ch["channel_id"], "trace_id": trace_id, "traced_at": traced_at,
            "source": ch["source"], "sink": ch["sink"], "amount": ch["amount"],
            "currency": currency, "hops": ch["hops"], "paths": json.dumps([ch["path"]]),
            "tx_ids": ch["tx_ids"], "allocation": tracing.allocation, "max_hops": tracing.hops,
            "first_departure": ch["first_departure"], "last_arrival": ch["last_arrival"],
            "duration_s": ch["duration_s"],
        }
        for ch in tracing.channels.to_pylist()
    ]  # fmt: skip
    if not rows:
        return 0
    table = pa.Table.from_pylist(rows)
    with store.transaction() as con:
        con.register("new_channels", table)
        con.execute(
            "DELETE FROM channels WHERE channel_id IN (SELECT channel_id FROM new_channels)"
        )
        con.execute(f"INSERT INTO channels ({', '.join(rows[0])}) SELECT * FROM new_channels")
        con.unregister("new_channels")
    return len(rows)


def channel(store: Store, channel_id: str) -> dict[str, Any] | None:
    """One traced channel by id: amount, currency, hops, paths, payments (None when unknown)."""
    ensure(store)
    found = store.records("SELECT * FROM channels WHERE channel_id = ?", [channel_id])
    if not found:
        return None
    row = found[0]
    row["paths"] = json.loads(row["paths"])
    row["path"] = row["paths"][0] if row["paths"] else []
    return row


def alert_evidence(store: Store, alert_id: str) -> dict[str, Any] | None:
    """One alert by id with its explanation, its accounts (with roles) and its payments' ids."""
    ensure(store)
    found = store.records("SELECT * FROM alerts WHERE alert_id = ?", [alert_id])
    if not found:
        return None
    accounts = store.records(
        "SELECT account, role FROM alert_accounts WHERE alert_id = ? ORDER BY role DESC, account",
        [alert_id],
    )
    tx_ids = store.records(
        "SELECT tx_id FROM alert_transactions WHERE alert_id = ? ORDER BY tx_id", [alert_id]
    )
    return {"alert": found[0], "accounts": accounts, "tx_ids": [r["tx_id"] for r in tx_ids]}
