"""`--home` that names no usable folder is a clear error, before anything is made or advised.

`--home ""` (an unset shell variable: `--home "$WS"`) made the current folder the workspace:
jalur wrote its database there and advised `chmod 700 /tmp`. A file as `--home` was advised
`chmod 700` on that file, then ended in a FileExistsError traceback; a folder that cannot be
made (under a file) ended in a NotADirectoryError traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app

runner = CliRunner()


def test_an_empty_home_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["--home", ""], ["--home="]):
        result = runner.invoke(app, [*args, "lists", "show"])
        assert result.exit_code == 2, result.output
        assert "--home" in result.output and "empty" in result.output, result.output
    assert list(tmp_path.iterdir()) == []


def test_a_file_as_home_is_refused_without_advice(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x")
    result = runner.invoke(app, ["--home", str(file), "lists", "show"])
    assert result.exit_code == 1, result.output
    assert "not a folder" in result.output and "chmod" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_home_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x")
    result = runner.invoke(app, ["--home", str(file / "ws"), "lists", "show"])
    assert result.exit_code == 1, result.output
    assert "cannot be used" in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_home_without_a_folder_after_the_subcommand_says_so() -> None:
    """`jalur lists show --home` (the folder forgotten) was 'No such option: --home', though
    `--home` is taken after the subcommand; it is the missing value, as before it."""
    from jalur.cli import hoist_home

    assert hoist_home(["lists", "show", "--home"]) == ["--home"]
    assert hoist_home(["lists", "show", "--home", "--", "x"]) == ["--home"]
    result = runner.invoke(app, hoist_home(["lists", "show", "--home"]))
    assert result.exit_code == 2
    assert "requires an argument" in result.output and "No such option" not in result.output
