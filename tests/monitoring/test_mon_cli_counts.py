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
