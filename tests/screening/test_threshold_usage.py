"""`--threshold` outside 0–1 is a usage error (exit 2), as the README's table of exit codes has
it for "a value outside the allowed ones", named before anything runs.

It was exit 1 ("error, nothing done: a referenced thing does not exist …"), found only once the
workspace was opened: a script could not tell a mistyped threshold from a missing workspace.
A threshold in `jalur.toml` is the workspace's configuration, not usage: still exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.screening import register_cli


def _invoke(home: Path, *args: str) -> tuple[int, str]:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "args",
    [
        ("name", "Umar Patek"),
        ("batch", "customers.csv", "--out", "hits.csv"),
        ("parties",),
        ("rescreen",),
        ("clear", "--customer", "c1", "--entity", "u1", "--reason", "x"),
    ],
)
@pytest.mark.parametrize("threshold", ["5", "-0.1", "1.01"])
def test_a_threshold_outside_0_to_1_is_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], threshold: str
) -> None:
    code, output = _invoke(tmp_path, *args, "--threshold", threshold)
    assert code == 2, output
    assert "Invalid value for '--threshold'" in output


def test_a_threshold_of_0_or_1_is_allowed(tmp_path: Path) -> None:
    for threshold in ("0", "1"):
        code, output = _invoke(tmp_path, "name", "Umar Patek", "--threshold", threshold)
        assert code == 1 and "no lists loaded" in output  # past the option: the empty workspace
