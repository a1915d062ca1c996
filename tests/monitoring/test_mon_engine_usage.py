"""An unknown `--engine` is a usage error (exit 2, as the README's table says of a value
outside the allowed ones), named before anything runs. `monitor run`, `trace`, `model train`
and `model score` exited 1, the code for a referenced thing that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_USAGE

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ["monitor", "run"],
        ["trace", "--from", "drug", "--to", "terror"],
        ["model", "train", "--labels", "labels.csv"],
        ["model", "score", "--out", "scores.csv"],
    ],
)
def test_unknown_engine_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["--home", str(tmp_path / "home"), *args, "--engine", "bogus"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "--engine" in result.output
    assert "bogus" in result.output
    assert not (tmp_path / "scores.csv").exists()
