"""Every command's help reads as paragraphs that wrap at the terminal: a docstring's source line
breaks were kept after the first paragraph, so at 80 columns each line wrapped on its own and
left a word or two alone on the next (`…the name` / `is` / `screened without it`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer import rich_utils
from typer.testing import CliRunner

from jalur.cli import app


def _commands() -> Iterator[tuple[str, Any]]:
    def walk(path: str, command: Any) -> Iterator[tuple[str, Any]]:
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(f"{path} {name}", sub)

    yield from walk("jalur", typer.main.get_command(app))


def test_no_paragraph_of_any_help_breaks_where_the_source_does() -> None:
    broken = [
        path
        for path, command in _commands()
        for paragraph in (command.help or "").split("\n\n")
        if "\n" in paragraph and not paragraph.startswith("\b")
    ]
    assert broken == []


def test_a_later_paragraph_wraps_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rich_utils, "MAX_WIDTH", 300)
    result = CliRunner().invoke(app, ["screen", "name", "--help"])
    assert result.exit_code == 0, result.output
    assert "cannot be read is a warning: the name is screened without it." in result.output
