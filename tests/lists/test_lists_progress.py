"""`lists load` shows a progress bar with totals on a terminal, and nothing when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lists_cli import lists_app
from rich.console import Console
from typer.testing import CliRunner

from jalur import clikit

runner = CliRunner()


def _load(tmp_path: Path, bundled: Path, *extra: str) -> tuple[int, str, str]:
    path = str(bundled / "dttot-sample.csv")
    args = ["--home", str(tmp_path / "home"), "lists", "load", path, "--mapping", "dttot", *extra]
    result = runner.invoke(lists_app(), args)
    return result.exit_code, result.stdout, result.stderr


def test_piped_load_prints_no_bar(tmp_path: Path, bundled: Path) -> None:
    code, out, err = _load(tmp_path, bundled)
    assert code == 0 and err == ""
    assert out.startswith("id-dttot version 1: 9 entries")


def test_terminal_load_shows_stages_with_totals(
    tmp_path: Path, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(clikit, "err_console", terminal)
    code, out, _ = _load(tmp_path, bundled)
    assert code == 0 and "9 entries" in out
    drawn = screen.getvalue()
    assert "4/4" in drawn and "recording the delta" in drawn
    screen.truncate(0)
    code, out, _ = _load(tmp_path, bundled, "--json")  # JSON: no bar even on a terminal
    assert code == 0 and "4/4" not in screen.getvalue() and out.lstrip().startswith("{")
