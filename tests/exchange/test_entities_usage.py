"""`exchange export --entities` given something that is not KIND:VALUE is a usage error (exit
2, as README's exit-code table has it for a value outside the allowed ones), named before
anything is opened; it was found out inside the export and exited 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app


@pytest.mark.parametrize("term", ["ofac-9614", "colour:red", "id:", "name:!!!"])
def test_an_entities_term_that_is_not_kind_value_is_a_usage_error(
    tmp_path: Path, term: str
) -> None:
    result = CliRunner().invoke(app, [
        "--home", str(tmp_path / "home"), "exchange", "export", "--to", "rosfinmonitoring",
        "--purpose", "CTF", "--entities", term, "--out", str(tmp_path / "p.jalur"),
    ])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--entities" in result.output and not (tmp_path / "p.jalur").exists()
    assert not (tmp_path / "home" / "jalur.duckdb").exists()  # nothing was opened
