"""`jalur accounts show` counts an account's payments once each: a payment to its own account
is in its money in and in its money out, and was counted twice in the total ("4 payments"
for two) (new-user trial, round 6)."""

from __future__ import annotations

import json
from pathlib import Path

from monitoring_builders import at, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store


def test_own_account_payments_are_counted_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rows = [pay("T1", "A1", "A1", at(0), 100.0), pay("T2", "A1", "A1", at(1), 200.0),
            pay("T3", "A1", "B1", at(2), 50.0)]  # fmt: skip
    with Store.open(Settings.resolve(home)) as store:
        load(store, rows)
    runner = CliRunner()
    shown = runner.invoke(app, ["--home", str(home), "accounts", "show", "A1", "--json"])
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.stdout)["payments"]
    assert summary["payments"] == 3
    assert {r["direction"]: r["payments"] for r in summary["by_direction"]} == {"in": 2, "out": 3}
    text = runner.invoke(app, ["--home", str(home), "accounts", "show", "A1"])
    assert "3 payments:" in text.stdout
