"""Each capability's public surface: every `__all__` name exists, and the CLI shows them all."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app

CAPABILITIES = ["lists", "transactions", "screening", "monitoring", "exchange", "users", "cases"]
#: Core modules below the capabilities (no commands of their own) and the top-level command
#: modules that wire two of them together.
CORE = ["audit", "reporting", "sqlstore"]
WIRING = ["audit_cli", "reporting_cli"]


@pytest.mark.parametrize("name", CAPABILITIES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(f"jalur.{name}")
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert missing == []
    assert "register_cli" in module.__all__


@pytest.mark.parametrize("name", CORE)
def test_core_names_exist(name: str) -> None:
    module = importlib.import_module(f"jalur.{name}")
    assert [item for item in module.__all__ if not hasattr(module, item)] == []


@pytest.mark.parametrize("name", WIRING)
def test_wiring_modules_register_their_commands(name: str) -> None:
    assert callable(importlib.import_module(f"jalur.{name}").register_cli)


@pytest.mark.parametrize(
    ("group", "commands"),
    [
        ("users", ["add", "list", "disable"]),
        ("cases", ["open", "show", "list", "assign", "comment", "attach", "add", "remove",
                   "propose", "approve", "return", "mark-reported"]),
        ("audit", ["show", "verify", "seal", "export"]),
        ("report", ["goaml"]),
    ],
)  # fmt: skip
def test_group_help_lists_its_commands(group: str, commands: list[str]) -> None:
    result = CliRunner().invoke(app, [group, "--help"])
    assert result.exit_code == 0, result.output
    for command in commands:
        assert f" {command} " in result.output


def test_report_goaml_help_names_its_options() -> None:
    result = CliRunner().invoke(app, ["report", "goaml", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--case", "--out", "--profile", "--rate", "--client-bank", "--json"):
        assert option in result.output


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
        "users",
        "cases",
        "report",
        "audit",
    ]:
        assert f" {group} " in result.output


def test_home_option_selects_the_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--home", str(tmp_path), "lists", "show", "--json"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "[]"
