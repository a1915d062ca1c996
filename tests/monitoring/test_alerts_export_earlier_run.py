"""`jalur alerts export --run RUN` of a pass whose alerts a later pass found again (new-user
trial, round 7): an alert is stored once, under the pass that found it last, so the export of
the earlier pass wrote "0 rows of RUN-… written" while its run summary (`monitor report
--run`) counted its alerts. Each pass now records which alerts it found; the export of an
earlier pass writes them (their explanation and score as last found, `run_id` the pass that
found them last)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from monitoring_builders import at, background, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

runner = CliRunner()


def _jalur(home: Path, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _exported(home: Path, out: Path, run: str) -> set[str]:
    _jalur(home, "alerts", "export", "--out", str(out), "--run", run)
    with out.open(encoding="utf-8") as handle:
        return {row["alert_id"] for row in csv.DictReader(handle)}


def test_an_earlier_pass_exports_the_alerts_it_found(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fan = [pay(f"F{i}", f"P{i}", "HUB", at(1, i), 900.0) for i in range(8)]
    with Store.open(Settings.resolve(home)) as store:
        load(store, background() + fan)
    runs = [
        json.loads(_jalur(home, "monitor", "run", "--typology", "fan_in", "--json"))
        for _ in range(2)
    ]
    assert runs[0]["alerts"] == runs[1]["alerts"] == 1
    first = _exported(home, tmp_path / "first.csv", runs[0]["run_id"])
    second = _exported(home, tmp_path / "second.csv", runs[1]["run_id"])
    assert first == second
    assert len(first) == 1
