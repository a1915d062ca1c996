"""A clearing file not in UTF-8 (a Windows export: `Schön`, `Müller` in cp1252).

It stopped `screen clear --file` with a UnicodeDecodeError traceback — after the rows above the
first such byte were already recorded. It is now refused before any row is recorded, naming
the line and the byte, as a customer file is; `--encoding` reads it.
"""

from __future__ import annotations

from pathlib import Path

import typer
from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.screening import register_cli


def _clearing_file(home: Path) -> Path:
    path = home / "decisions.csv"
    path.write_bytes(
        b"customer;entity;reason\r\n"
        b"c2;u2;not him, born 1985 in Solo\r\n"
        b"c1;u1;Sch\xf6n: a shopkeeper, born 1980\r\n"
    )
    return path


def test_a_file_not_in_utf8_is_refused_before_any_row_is_recorded(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(workspace)

    register_cli(app)
    path = _clearing_file(workspace)
    result = CliRunner().invoke(app, ["screen", "clear", "--file", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "line 3: not valid UTF-8 (byte 0xf6)" in " ".join(result.output.split())
    assert "--encoding" in result.output
    # nothing recorded: c2 was the first row, above the bad byte
    report, hits = batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    assert report["suppressed"] == 0 and len(hits) == 2


def test_encoding_reads_it(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    path = _clearing_file(workspace)
    report = cli(workspace, "clear", "--file", str(path), "--encoding", "cp1252")
    assert [(d["customer_id"], d["reason"]) for d in report["decisions"]] == [
        ("c2", "not him, born 1985 in Solo"),
        ("c1", "Schön: a shopkeeper, born 1980"),
    ]
