"""Each capability's public surface: every `__all__` name exists, and the CLI shows them all."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app

CAPABILITIES = ["lists", "transactions", "screening", "monitoring", "exchange"]


@pytest.mark.parametrize("name", CAPABILITIES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(f"jalur.{name}")
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert missing == []
    assert "register_cli" in module.__all__


def test_root_help_lists_every_command_group() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for group in [
        "lists",
        "tx",
        "generate",
        "screen",
        "monitor",
        "trace",
        "alerts",
        "agency",
        "exchange",
    ]:
        assert f" {group} " in result.output


def test_home_option_selects_the_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--home", str(tmp_path), "lists", "show", "--json"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "[]"
