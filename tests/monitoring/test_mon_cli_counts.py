"""Counts on the command line are checked (new-user trial, round 5): a negative --top, a
--hops below 1, or max_hops 0 in jalur.toml is refused with the option named. Before:
`--top -1` printed every alert but the last (monitor run), every alert (alerts show) or no
channel (trace --json); `--hops -1` traced nothing and `--hops 0` silently meant the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_ERROR, EXIT_USAGE

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["monitor", "run", "--top", "-1"], "--top"),
        (["alerts", "show", "--top", "-1"], "--top"),
        (["trace", "--from", "drug", "--to", "terror", "--top", "-1"], "--top"),
        (["trace", "--from", "drug", "--to", "terror", "--hops", "0"], "--hops"),
        (["trace", "--from", "drug", "--to", "terror", "--hops", "-1"], "--hops"),
        (["model", "score", "--out", "scores.csv", "--top", "-1"], "--top"),
    ],
)
def test_bad_count_is_a_usage_error(tmp_path: Path, args: list[str], option: str) -> None:
    result = runner.invoke(app, ["--home", str(tmp_path / "home"), *args])
    assert result.exit_code == EXIT_USAGE, result.output
    assert option in result.output


def test_zero_max_hops_in_config_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "jalur.toml").write_text("[monitoring.trace]\nmax_hops = 0\n", encoding="utf-8")
    result = runner.invoke(app, ["--home", str(home), "trace", "--from", "A", "--to", "B"])
    assert result.exit_code == EXIT_ERROR
    assert "monitoring.trace.max_hops" in result.output


def test_typology_named_twice_runs_once(tmp_path: Path) -> None:
    """`--typology fan_in --typology fan_in` made every alert twice: a store constraint
    traceback. It now runs fan_in once."""
    from monitoring_builders import at, background, load, pay

    from jalur.config import Settings
    from jalur.store import Store

    home = tmp_path / "home"
    fan = [pay(f"F{i}", f"P{i}", "HUB", at(1, i), 900.0) for i in range(8)]
    with Store.open(Settings.resolve(home)) as store:
        load(store, background() + fan)
    result = runner.invoke(
        app, ["--home", str(home), "monitor", "run", "--typology", "fan_in", "--typology", "fan_in"]
    )
    assert result.exit_code == 0, result.output
    assert "HUB" in result.output
