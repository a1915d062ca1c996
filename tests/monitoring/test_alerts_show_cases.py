"""`jalur alerts show` says when an alert is already in a case, and how the case decided it.

A pass that finds an alert again (same id) listed it as new: an analyst had no sign that a
colleague had closed it as a false positive last month, and worked it again. Monitoring does not
read cases (it is below them); the command line joins the two (`jalur.cli`).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jalur.cases import Evidence, approve, open_case, propose
from jalur.cli import app
from jalur.config import Settings
from jalur.monitoring.persist import ensure
from jalur.sqlstore import open_database
from jalur.store import Store
from jalur.users import add_user

PW = "correct horse battery"
runner = CliRunner()


def _alerts(home: Path) -> None:
    with Store.open(Settings.resolve(home)) as store:
        ensure(store)
        store.execute(
            "INSERT INTO monitoring_runs VALUES ('RUN-1', now(), now(), 'duckdb', 10, 2, '{}')"
        )
        for alert_id, account in (("ALR-FAN", "HUB"), ("ALR-NEW", "OTHER")):
            store.execute(
                "INSERT INTO alerts VALUES (?, 'RUN-1', 'fan_in', ?, 0.8, 'a fan', NULL, NULL)",
                [alert_id, account],
            )
            store.execute(
                "INSERT INTO alert_accounts VALUES (?, ?, 'subject')", [alert_id, account]
            )


def _closed_case(home: Path) -> str:
    engine = open_database(Settings.resolve(home))
    try:
        root = add_user(engine, None, "root", "admin", PW)
        ana = add_user(engine, root, "ana", "analyst", PW)
        sam = add_user(engine, root, "sam", "supervisor", PW)
        case_id = open_case(engine, ana, "payroll", [Evidence("alert", "ALR-FAN", {"score": 0.8})])
        propose(engine, ana, case_id, "close", "a payroll, not a collection")
        assert approve(engine, sam, case_id) == "closed"
    finally:
        engine.dispose()
    return case_id


def _show(home: Path, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(home), "alerts", "show", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_alert_decided_in_a_case_says_so(tmp_path: Path) -> None:
    _alerts(tmp_path)
    case_id = _closed_case(tmp_path)
    one = json.loads(_show(tmp_path, "ALR-FAN", "--json"))
    assert one["cases"] == [
        {"case_id": case_id, "status": "closed", "disposition": "false-positive"}
    ]
    assert f"{case_id} closed: false-positive" in _show(tmp_path, "ALR-FAN")
    listed = {a["alert_id"]: a["cases"] for a in json.loads(_show(tmp_path, "--json"))}
    assert listed == {"ALR-FAN": one["cases"], "ALR-NEW": []}
    assert f"{case_id} closed" in _show(tmp_path)
    assert json.loads(_show(tmp_path, "ALR-NEW", "--json"))["cases"] == []


def test_a_workspace_without_cases_gets_no_case_store_from_a_look(tmp_path: Path) -> None:
    _alerts(tmp_path)
    listed = json.loads(_show(tmp_path, "--json"))
    assert [a["cases"] for a in listed] == [[], []]
    assert not (tmp_path / "jalur.sqlite").exists()  # reading alerts made no case store


def test_a_case_store_that_cannot_be_read_is_a_warning_not_an_error(tmp_path: Path) -> None:
    _alerts(tmp_path)
    url = "postgresql://nobody@127.0.0.1:1/none"
    (tmp_path / "jalur.toml").write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    result = runner.invoke(app, ["--home", str(tmp_path), "alerts", "show", "ALR-FAN"])
    assert result.exit_code == 0, result.output
    assert "ALR-FAN fan_in on HUB" in result.stdout
    assert "error:" not in result.output
    assert "could not be read" in result.output
    assert "cases: not read" in result.stdout  # not "none": that would be a guess
