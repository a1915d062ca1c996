"""A customer file's ids and column names reach the terminal written out, never acting on it.

`screen batch` printed a row's id as it was in its warnings and rejections (`warning row 1: id
ESC[31mc1: dob …` recoloured the terminal; `ESC]0;…BEL` retitles the window, `ESC[2J` clears
it, U+202E shows what follows reversed), and so did the unread-columns warning, and `screen
rescreen` and `screen clear` with the remembered customer id. Values were already quoted
(`dob '19\\x1b…'`); the id and the column name now are written out the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.store import Store

Listed = Callable[..., EntityProxy]
HOSTILE_ID = "\x1b[31mc1\u202e"


def _run(home: Path, *args: str, code: int = 0) -> str:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", *args])
    assert result.exit_code == code, result.output
    return result.output


def _entity(home: Path, entity_id: str) -> str:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    result = CliRunner().invoke(app, ["entities", "show", entity_id])
    assert result.exit_code == 0, result.output
    return result.output


def _inert(output: str) -> None:
    assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output
    assert "\\x1b[31mc1\\u202e" in output  # the id, written out


def test_batch_rescreen_and_clear_write_out_a_hostile_id(
    tmp_path: Path, make_listed: Listed
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    source = tmp_path / "customers.csv"
    source.write_text(
        f"id,name,dob,Segment\x1b]0;pwn\x07\n{HOSTILE_ID},Umar \x1b[1mPatek,19xx,retail\n"
        f"{HOSTILE_ID},Budi Santoso,,retail\n",
        encoding="utf-8",
    )
    shown = _run(tmp_path, "batch", str(source), "--out", str(tmp_path / "hits.csv"), code=3)
    _inert(shown)
    assert "warning row 1: id \\x1b[31mc1\\u202e: dob '19xx'" in shown
    assert "rejected row 2: id \\x1b[31mc1\\u202e: repeated" in shown
    assert "not read: segment\\x1b]0;pwn\\x07 (read:" in shown
    _inert(_run(tmp_path, "rescreen"))  # the hit is stored …
    shown = _entity(tmp_path, "u1")  # … and shown with the entry, its party written out
    _inert(shown)
    assert "Umar \\x1b[1mPatek" in shown  # the name as the customer file gave it
    cleared = _run(tmp_path, "clear", "--customer", HOSTILE_ID, "--entity", "u1", "--reason", "x")
    _inert(cleared)
    assert "cleared \\x1b[31mc1\\u202e / un-test u1" in cleared


def test_a_row_without_a_name_names_its_id_written_out(tmp_path: Path, make_listed: Listed) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    source = tmp_path / "customers.csv"
    source.write_text(f"id,name\n{HOSTILE_ID},\nc2,Umar Patek\n", encoding="utf-8")
    shown = _run(tmp_path, "batch", str(source), "--out", str(tmp_path / "hits.csv"), code=3)
    _inert(shown)
    assert "rejected row 1: id \\x1b[31mc1\\u202e: empty name" in shown
