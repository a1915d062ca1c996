"""A workspace whose loads accepted no payment (every record quarantined) has no payments:
`monitor run` and `model score` say so and exit 1 as in a workspace never loaded (README's
exit codes: "No loaded payments: exit 1"). They ran, exit 0: an empty pass, and a scoring of
0 accounts with numpy's "Mean of empty slice" warnings on stderr (new-user trial, round 6)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_ERROR
from jalur.config import Settings
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store


@pytest.fixture
def emptied(tmp_path: Path) -> Path:
    """A workspace with the payments table made by a load that accepted nothing."""
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        store.con.register("_none", pa.Table.from_pylist([], schema=TRANSACTION_SCHEMA))
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM _none")
        store.con.unregister("_none")
    return home


@pytest.mark.parametrize(
    "command",
    [
        ["monitor", "run"],
        ["model", "score", "--out", "scores.csv"],
        ["model", "score", "--scorecard", "--out", "scores.csv"],
    ],
)
def test_no_payments_is_an_error(emptied: Path, command: list[str]) -> None:
    if "--out" in command:
        command = [*command[:-1], str(emptied.parent / "scores.csv")]
    result = CliRunner().invoke(app, ["--home", str(emptied), *command])
    assert result.exit_code == EXIT_ERROR, result.output
    assert "no payments in this workspace" in " ".join(result.output.split())
    assert "Traceback" not in result.output and "Warning" not in result.output
    assert not (emptied.parent / "scores.csv").exists()
