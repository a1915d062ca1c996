"""`jalur screen …` end to end on a small workspace (inline list, no ../shared)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.store import Store


def app_for(home: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    return app


def test_name_batch_and_rescreen(tmp_path: Path, make_listed: Callable[..., EntityProxy]) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK", "Omar Patek"])], "v1")
    app, runner = app_for(tmp_path), CliRunner()
    result = runner.invoke(app, ["screen", "name", "Umar Patek", "--dob", "1966", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert hits[0]["source_id"] == "U1" and hits[0]["explanation"].startswith("alias ")

    source = tmp_path / "customers.csv"
    source.write_text("id,name,dob\nc1,Omar Patek,1966\nc2,Budi,not-a-date\n")
    out = tmp_path / "hits.csv"
    result = runner.invoke(app, ["screen", "batch", str(source), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    counts = [report[k] for k in ("read", "accepted", "rejected", "warnings", "hits")]
    assert counts == [2, 2, 0, 1, 1]
    assert "row 2: id c2: dob 'not-a-date' is not a date" in report["warning_messages"][0]

    result = runner.invoke(app, ["screen", "rescreen", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["parties"] == 2  # the customers remembered from the batch


def test_parties_without_payments_is_a_clear_error(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    result = CliRunner().invoke(app_for(tmp_path), ["screen", "parties"])
    assert result.exit_code == 1
    assert "no transactions table" in result.output


def test_no_lists_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app_for(tmp_path), ["screen", "name", "Someone"])
    assert result.exit_code == 1
    assert "no lists loaded" in result.output


def test_an_empty_or_overlong_name_is_an_error_not_no_hits(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    """'no hits' with exit 0 reads as 'cleared' to a script: a name that cannot be screened
    must say so, by the rule `screen batch` applies to a row."""
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    for name, reason in (("", "empty name"), (" - ", "empty name"), ("a" * 1001, "longer than")):
        result = CliRunner().invoke(app_for(tmp_path), ["screen", "name", name, "--json"])
        assert result.exit_code == 1, (name[:5], result.output)
        assert reason in result.output and "no hits" not in result.output
