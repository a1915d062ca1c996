"""`jalur alerts show|export --typology T` after a pass that ran other typologies (new-user
trial, round 7): an analyst ran everything, then `monitor run --typology cycle` to look at
the cycles again. `alerts show --typology fan_in` then said "No fan_in alerts in the latest
monitoring pass … run `jalur monitor run` again", and `alerts export --typology fan_in` wrote
no row, though the fan-in found by the full pass was stored and no pass had dropped it. A
typology's alerts are now those of the latest pass that ran it."""

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


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    fan = [pay(f"F{i}", f"P{i}", "HUB", at(1, i), 900.0) for i in range(8)]
    ring = [pay(f"C{i}", f"R{i}", f"R{(i + 1) % 3}", at(2, i), 5000.0 - 10 * i) for i in range(3)]
    with Store.open(Settings.resolve(home)) as store:
        load(store, background() + fan + ring)
    _jalur(home, "monitor", "run", "--typology", "fan_in", "--typology", "cycle")
    _jalur(home, "monitor", "run", "--typology", "cycle")
    return home


def test_a_typology_the_latest_pass_did_not_run_shows_its_latest_alerts(tmp_path: Path) -> None:
    home = _home(tmp_path)
    fans = json.loads(_jalur(home, "alerts", "show", "--typology", "fan_in", "--json"))
    assert [a["account"] for a in fans] == ["HUB"]
    cycles = json.loads(_jalur(home, "alerts", "show", "--typology", "cycle", "--json"))
    assert len(cycles) == 1
    assert cycles[0]["run_id"] != fans[0]["run_id"]  # each from the latest pass that ran it
    out = tmp_path / "fans.csv"
    written = json.loads(
        _jalur(home, "alerts", "export", "--out", str(out), "--typology", "fan_in", "--json")
    )
    assert written["rows"] > 0
    assert written["run"] == fans[0]["run_id"]
    with out.open(encoding="utf-8") as handle:
        assert {r["account"] for r in csv.DictReader(handle) if r["role"] == "subject"} == {"HUB"}


def test_a_typology_no_pass_ran_says_so(tmp_path: Path) -> None:
    said = _jalur(_home(tmp_path), "alerts", "show", "--typology", "structuring")
    assert "no monitoring pass has run structuring" in said
