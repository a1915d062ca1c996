"""`trace --from X --to X` printed "0 channels" and exited 0: money cannot be traced from an
account to itself by this command (a cycle is `monitor run`'s), so it is a usage error that
says why."""

from __future__ import annotations

from pathlib import Path

from monitoring_builders import at, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_USAGE
from jalur.config import Settings
from jalur.store import Store

runner = CliRunner()


def test_the_same_accounts_on_both_ends_is_a_usage_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, [pay("T1", "A", "B", at(1), 500.0), pay("T2", "B", "A", at(2), 450.0)])
    for ends in (["--from", "A", "--to", "A"], ["--from", "A,B", "--to", "B, A"]):
        result = runner.invoke(app, ["--home", str(home), "trace", *ends])
        assert result.exit_code == EXIT_USAGE, result.output
        assert "--from and --to name the same accounts" in result.output
