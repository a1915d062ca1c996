"""`jalur stream run --idle-exit` and `stream watch --idle-exit / --count` take only values
that mean something (new-user trial, round 7). `--idle-exit -5` or `nan` stopped at once, as
if idle, with exit 0 and "received 0 payments" (a typo in a service script read as a quiet
stream); `watch --count -1` stopped before its first decision. Each is now a usage error
(exit 2) naming the option, before any connection is tried."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_USAGE

runner = CliRunner()

#: Nothing listens here: a value that passed the check would fail to connect (exit 1).
NOWHERE = "nats://127.0.0.1:9"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["run", "--idle-exit", "-5"], "--idle-exit"),
        (["run", "--idle-exit", "nan"], "--idle-exit"),
        (["run", "--idle-exit", "inf"], "--idle-exit"),
        (["watch", "--idle-exit", "-1"], "--idle-exit"),
        (["watch", "--idle-exit", "nan"], "--idle-exit"),
        (["watch", "--count", "-1"], "--count"),
    ],
)
def test_a_meaningless_bound_is_a_usage_error(tmp_path: Path, args: list[str], option: str) -> None:
    result = runner.invoke(
        app, ["--home", str(tmp_path / "home"), "stream", *args, "--nats", NOWHERE]
    )
    assert result.exit_code == EXIT_USAGE, result.output
    assert option in result.output
