"""`screen batch` on a workbook with customers on two sheets: the first is screened, the
second named, and the exit code says not every customer was screened (it was 0)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from followthemoney.proxy import EntityProxy
from openpyxl import Workbook
from typer.testing import CliRunner

from jalur.clikit import EXIT_PARTIAL
from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.store import Store


def _app(home: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    return app


def test_a_second_customer_sheet_is_named_and_exits_partial(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    book = Workbook()
    people = book.active
    assert people is not None
    people.title = "Perorangan"
    people.append(["No CIF", "Nama Nasabah"])
    people.append(["1001", "Umar Patek"])
    firms = book.create_sheet("Korporasi")
    firms.append(["No CIF", "Nama Nasabah"])
    firms.append(["2001", "PT Sinar Harapan"])
    source = tmp_path / "nasabah.xlsx"
    book.save(source)
    runner = CliRunner()
    out = str(tmp_path / "hits.csv")
    result = runner.invoke(_app(tmp_path), ["screen", "batch", str(source), "--out", out])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "'Korporasi' have customers too and were not screened" in result.output
    result = runner.invoke(_app(tmp_path), ["screen", "batch", str(source), "--out", out, "--json"])
    assert result.exit_code == EXIT_PARTIAL
    assert json.loads(result.output[result.output.index("{") :])["unread_sheets"] == ["Korporasi"]
