"""Payments added after a pass can make one of its alerts ordinary: a fan-in account that
goes on taking from many payers every week is busy in more than `max_windows` windows, and no
pass over all its payments alerts on it. The pass over the added payments finds what a pass
from scratch over the same payments finds; the earlier alert stays stored under the pass that
found it. The run used to say nothing of it, and the analyst met the old alert in `accounts
show` and `alerts show ALERT` with no word that the latest pass no longer finds it: the run
now counts those alerts per typology and says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from monitoring_builders import at, background, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

runner = CliRunner()
FAN_ONLY = ["monitor", "run", "--typology", "fan_in", "--json"]


def _spring() -> list[dict[str, Any]]:
    return [pay(f"S{i}", f"S-P{i}", "POOL", at(2.0, i), 900.0 + 40 * i) for i in range(6)]


def _every_week_after() -> list[dict[str, Any]]:
    return [
        pay(f"L{w}-{i}", f"L{w}-P{i}", "POOL", at(20.0 + 7 * w, i), 500.0 + 13 * i + w)
        for w in range(10)
        for i in range(6)
    ]


def _run(home: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    with Store.open(Settings.resolve(home)) as store:
        load(store, rows)
    result = runner.invoke(app, ["--home", str(home), *FAN_ONLY])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _shown(home: Path) -> list[str]:
    result = runner.invoke(app, ["--home", str(home), "alerts", "show", "--json"])
    assert result.exit_code == 0, result.output
    return sorted(a["alert_id"] for a in json.loads(result.stdout))


def test_a_pass_over_added_payments_agrees_with_one_from_scratch_and_says_so(
    tmp_path: Path,
) -> None:
    added, scratch = tmp_path / "added", tmp_path / "scratch"
    first = _run(added, _spring() + background())
    assert first["by_typology"] == {"fan_in": 1}
    again = _run(added, _spring() + _every_week_after() + background())
    fresh = _run(scratch, _spring() + _every_week_after() + background())
    assert again["by_typology"] == fresh["by_typology"] == {}
    assert _shown(added) == _shown(scratch) == []
    assert again["not_found_again"] == {"fan_in": 1}
    assert "not_found_again" not in fresh
    said = runner.invoke(app, ["--home", str(added), "monitor", "run", "--typology", "fan_in"])
    assert "not found again" not in said.output  # only the pass right after says it
    with Store.open(Settings.resolve(added)) as store:
        load(store, _spring() + background())
    said = runner.invoke(app, ["--home", str(added), "monitor", "run", "--typology", "fan_in"])
    assert "not found again" not in said.output  # the alert found again is no news either


def test_the_run_says_it_in_words(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _run(home, _spring() + background())
    with Store.open(Settings.resolve(home)) as store:
        load(store, _spring() + _every_week_after() + background())
    said = runner.invoke(app, ["--home", str(home), "monitor", "run", "--typology", "fan_in"])
    assert said.exit_code == 0, said.output
    text = " ".join(said.output.split())
    assert "1 alerts of the previous pass are not found again (fan_in: 1)" in text
