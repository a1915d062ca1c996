"""A jalur.toml that is not TOML is one error line naming the file, exit 1, for any command
(it was a ConfigError traceback from the root callback)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app


def test_broken_toml_is_an_error_line(tmp_path: Path) -> None:
    (tmp_path / "jalur.toml").write_text("[monitoring.fan_in\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--home", str(tmp_path), "alerts", "show"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "jalur.toml" in result.output
    assert "line 1" in result.output
