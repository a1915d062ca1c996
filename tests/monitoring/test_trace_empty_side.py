"""`jalur trace --from drug --to terror` with drug-flagged accounts but no terror-linked one
(new-user trial, round 7): the error said "no accounts for --from 'drug' or --to 'terror'",
so the analyst who had just flagged the drug accounts could not tell which side was empty.
It now names the side with no account, and only that side."""

from __future__ import annotations

from pathlib import Path

from monitoring_builders import at, background, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

runner = CliRunner()


def test_the_side_without_accounts_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, [*background(), pay("D1", "DRUGLORD", "CELL", at(1), 5000.0)])
    flags = tmp_path / "drug.csv"
    flags.write_text("account\nDRUGLORD\n", encoding="utf-8")
    base = ["--home", str(home)]
    flagged = runner.invoke(
        app, [*base, "accounts", "flag", str(flags), "--topic", "drug", "--reason", "BNN"]
    )
    assert flagged.exit_code == 0, flagged.output
    result = runner.invoke(app, [*base, "trace", "--from", "drug", "--to", "terror"])
    assert result.exit_code == 1, result.output
    assert "--to 'terror'" in result.stderr
    assert "--from" not in result.stderr
    assert "terror" in result.stderr and "jalur accounts flag" in result.stderr
