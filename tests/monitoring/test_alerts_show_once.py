"""`jalur alerts show` lists each alert once, its subjects together, and `--top` counts alerts
(docs/monitoring.md: "Alerts to print"). Before: a cycle with three subjects was three rows,
and `--top 2` printed two rows of that one alert."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

import jalur.monitoring as monitoring
from jalur.config import Settings
from jalur.monitoring.persist import ensure
from jalur.store import Store

runner = CliRunner()
app = typer.Typer()


@app.callback()
def _root(ctx: typer.Context, home: str = typer.Option(...)) -> None:
    ctx.obj = Settings.resolve(home)


monitoring.register_cli(app)

#: alert id, typology, subject, score, subjects, involved accounts.
ALERTS = [
    ("ALR-CYCLE", "cycle", "A", 0.9, ["A", "B", "C"], []),
    ("ALR-FAN", "fan_in", "HUB", 0.8, ["HUB"], ["P1", "P2"]),
    ("ALR-SPLIT", "split_payments", "PAYER", 0.7, ["PAYER"], ["PAYEE"]),
]


def _home(tmp_path: Path) -> Path:
    with Store.open(Settings.resolve(tmp_path)) as store:
        ensure(store)
        store.execute(
            "INSERT INTO monitoring_runs VALUES ('RUN-1', now(), now(), 'duckdb', 10, 3, '{}')"
        )
        for alert_id, typology, account, score, subjects, involved in ALERTS:
            store.execute(
                "INSERT INTO alerts VALUES (?, 'RUN-1', ?, ?, ?, ?, NULL, NULL)",
                [alert_id, typology, account, score, f"{typology} on {account}"],
            )
            for role, accounts in (("subject", subjects), ("involved", involved)):
                for acc in accounts:
                    store.execute(
                        "INSERT INTO alert_accounts VALUES (?, ?, ?)", [alert_id, acc, role]
                    )
    return tmp_path


def _show(home: Path, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["--home", str(home), "alerts", "show", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_each_alert_once_with_its_subjects(tmp_path: Path) -> None:
    shown = _show(_home(tmp_path))
    assert [a["alert_id"] for a in shown] == ["ALR-CYCLE", "ALR-FAN", "ALR-SPLIT"]
    assert [a["account"] for a in shown] == ["A", "HUB", "PAYER"]
    assert [a["subjects"] for a in shown] == [["A", "B", "C"], ["HUB"], ["PAYER"]]


def test_top_counts_alerts_not_subjects(tmp_path: Path) -> None:
    home = _home(tmp_path)
    assert [a["alert_id"] for a in _show(home, "--top", "2")] == ["ALR-CYCLE", "ALR-FAN"]
    text = runner.invoke(app, ["--home", str(home), "alerts", "show", "--top", "2"])
    assert text.exit_code == 0, text.output
    rows = [line.split("\t") for line in text.stdout.splitlines()[1:]]
    assert [(r[0], r[3]) for r in rows] == [("ALR-CYCLE", "A, B, C"), ("ALR-FAN", "HUB")]


def test_scored_alert_leads_by_its_riskiest_subject(tmp_path: Path) -> None:
    home = _home(tmp_path)
    with Store.open(Settings.resolve(home)) as store:
        store.execute("CREATE TABLE account_risk (account VARCHAR, score DOUBLE)")
        store.execute("INSERT INTO account_risk VALUES ('C', 0.4), ('A', 0.2), ('PAYER', 0.3)")
    shown = _show(home)
    assert [(a["alert_id"], a["risk_score"]) for a in shown] == [
        ("ALR-CYCLE", 0.4), ("ALR-SPLIT", 0.3), ("ALR-FAN", None),
    ]  # fmt: skip
