"""An --out that is a folder is refused before the command does or records anything; these
commands ended in IsADirectoryError/OSError tracebacks (audit export after recording the
export in the trail, screen batch after remembering the customers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app


@pytest.mark.parametrize(
    "command",
    [
        ["alerts", "export"],
        ["tx", "export"],
        ["audit", "export"],
        ["screen", "batch", "customers.csv"],
        ["lists", "export"],
        ["agency", "card"],
        ["model", "score"],
    ],
)
def test_an_out_folder_is_refused_first(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "customers.csv").write_text("id,name\n1,Budi Santoso\n")
    args = [a if a != "customers.csv" else str(tmp_path / a) for a in command]
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), *args, "--out", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    assert "cannot write it" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_generate_into_a_file_is_refused(tmp_path: Path) -> None:
    """`generate --out FILE` ended in FileExistsError from mkdir."""
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(tmp_path / "home"),
            "generate",
            "--no-lists",
            "--out",
            str(tmp_path / "file"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "not a folder" in result.output


@pytest.mark.parametrize(
    "kept",
    ["jalur.sqlite", "jalur.duckdb", "jalur.duckdb.wal", "agency/x", "screening-index.key",
     "models/risk/model.txt", "stream/state.sqlite", "audit-seals.jsonl"],
)  # fmt: skip
def test_an_out_onto_the_workspaces_own_files_is_refused(tmp_path: Path, kept: str) -> None:
    """`lists export --out $JALUR_HOME/jalur.sqlite` wrote the list over the store of users,
    cases and the audit trail: the trail could not record the export, nor anything after."""
    home = tmp_path / "home"
    runner = CliRunner()
    listed = runner.invoke(app, ["--home", str(home), "lists", "show"])
    assert listed.exit_code == 0, listed.output
    (home / "agency").mkdir(exist_ok=True)
    result = runner.invoke(app, ["--home", str(home), "lists", "export", "--out", str(home / kept)])
    assert result.exit_code == 1, result.output
    assert "the workspace's own" in result.output, result.output
    assert runner.invoke(app, ["--home", str(home), "lists", "export"]).exit_code == 0
    into = runner.invoke(
        app, ["--home", str(home), "lists", "export", "--out", str(home / "artefacts" / "l.json")]
    )
    assert into.exit_code == 0, into.output


def test_an_out_into_a_folder_of_the_users_own_in_the_workspace_is_written(
    tmp_path: Path,
) -> None:
    """The demo writes `demo-home/screening/customer-hits.csv`: a folder the user made in the
    workspace is theirs (the first version of the guard refused every folder there)."""
    home = tmp_path / "home"
    runner = CliRunner()
    assert runner.invoke(app, ["--home", str(home), "lists", "show"]).exit_code == 0
    (home / "screening").mkdir()
    out = home / "screening" / "lists.json"
    result = runner.invoke(app, ["--home", str(home), "lists", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
