"""`jalur alerts export`: one CSV row per alert and account, for case tools and spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

from jalur.cells import guard_cell
from jalur.monitoring.persist import ensure, latest_run
from jalur.store import Store

COLUMNS = (
    "alert_id", "typology", "account", "role", "score", "explanation", "run_id", "risk_score",
)  # fmt: skip

#: The risk capability's latest score per account (`jalur model score`), when it exists.
RISK_TABLE = "account_risk"


class UnknownRunError(LookupError):
    """A run id that no monitoring pass of this workspace has: an empty export would lie."""


def alert_rows(
    store: Store, run_id: str | None = None, typology: str | None = None
) -> list[tuple[object, ...]]:
    """(alert_id, typology, account, role, score, explanation, run_id, risk_score): alerts
    whose subject is riskiest first (`jalur model score`), then best alerts first.

    The alerts `run_id` found, those a later pass found again too (`alert_runs`): each as
    last found, its `run_id` that pass's. Without `run_id`: the alerts the latest pass found
    (with `typology`: the latest pass that ran it). An unknown `run_id` raises
    `UnknownRunError` (a run that found no alerts gives no rows). `risk_score` is the alert's
    riskiest subject's, as `alert_list` ranks (it was the first account's only, so the two
    commands ordered alerts differently), empty until accounts are scored."""
    ensure(store)
    if run_id is not None:
        _check_run(store, run_id)
    chosen = run_id or latest_run(store, typology)
    if chosen is None:
        return []
    scored = _has_table(store, RISK_TABLE)
    risk = "k.risk" if scored else "CAST(NULL AS DOUBLE)"
    joined = (
        f"""LEFT JOIN (SELECT s.alert_id, MAX(r.score) AS risk FROM alert_accounts s
                      JOIN {RISK_TABLE} r ON r.account = s.account
                      WHERE s.role = 'subject' GROUP BY s.alert_id) k
              ON k.alert_id = a.alert_id"""
        if scored
        else ""
    )
    return store.execute(
        f"""SELECT a.alert_id, a.typology, x.account, x.role, a.score, a.explanation, a.run_id,
                  {risk} AS risk_score
           FROM alerts a JOIN alert_accounts x ON x.alert_id = a.alert_id {joined}
           WHERE (a.run_id = ? OR a.alert_id IN (SELECT alert_id FROM alert_runs
                                                  WHERE run_id = ?))
             AND (CAST(? AS VARCHAR) IS NULL OR a.typology = ?)
           ORDER BY risk_score DESC NULLS LAST, a.score DESC, a.alert_id, x.role DESC,
                    x.account""",
        [chosen, chosen, typology, typology],
    ).fetchall()


def alert_list(store: Store, top: int, typology: str | None = None) -> list[dict[str, object]]:
    """The latest pass's `top` alerts (with `typology`: of the latest pass that ran it), each
    once, in `alert_rows` order: `alert_rows`' columns for the alert (`account` its
    subject, `risk_score` its riskiest subject's) and `subjects`, every account alerted (the
    subject first). `alert_rows` has a row per subject, so a cycle was listed once per member
    and `--top` counted rows, not alerts."""
    ensure(store)
    chosen = latest_run(store, typology)
    if chosen is None:
        return []
    scored = _has_table(store, RISK_TABLE)
    risk = "MAX(r.score)" if scored else "CAST(NULL AS DOUBLE)"
    joined = f"LEFT JOIN {RISK_TABLE} r ON r.account = x.account" if scored else ""
    rows = store.execute(
        f"""SELECT a.alert_id, a.typology, a.account, 'subject', a.score, a.explanation,
                  a.run_id, {risk} AS risk_score,
                  LIST(x.account ORDER BY x.account <> a.account, x.account) AS subjects
           FROM alerts a JOIN alert_accounts x ON x.alert_id = a.alert_id {joined}
           WHERE a.run_id = ? AND x.role = 'subject'
             AND (CAST(? AS VARCHAR) IS NULL OR a.typology = ?)
           GROUP BY a.alert_id, a.typology, a.account, a.score, a.explanation, a.run_id
           ORDER BY risk_score DESC NULLS LAST, a.score DESC, a.alert_id
           LIMIT ?""",
        [chosen, typology, typology, top],
    ).fetchall()
    return [dict(zip((*COLUMNS, "subjects"), row, strict=True)) for row in rows]


def _has_table(store: Store, name: str) -> bool:
    found = store.execute(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def export_alerts(
    store: Store, out: Path, run_id: str | None = None, typology: str | None = None
) -> int:
    """Write the CSV (only `typology`'s alerts when given), its text cells guarded for a
    spreadsheet; returns the number of rows written (header excluded)."""
    found = alert_rows(store, run_id, typology)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(_inert(row) for row in found)
    return len(found)


def _inert(row: tuple[object, ...]) -> tuple[object, ...]:
    """The row with its text cells guarded: an account a payer chose, such as
    `=HYPERLINK(…)`, is shown by the spreadsheet, not run; scores stay numbers."""
    return tuple(guard_cell(cell) if isinstance(cell, str) else cell for cell in row)


def _check_run(store: Store, run_id: str) -> None:
    known = store.execute("SELECT 1 FROM monitoring_runs WHERE run_id = ?", [run_id]).fetchone()
    if known is None:
        latest = latest_run(store)
        hint = f"latest: {latest}" if latest else "no monitoring run yet: `jalur monitor run`"
        raise UnknownRunError(f"no monitoring run {run_id!r} ({hint})")
