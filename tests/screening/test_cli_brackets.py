"""Text from a customer file is printed as it is: Rich markup in it neither breaks the command
nor vanishes (a value `[/x]` used to end `screen batch` with a MarkupError traceback after the
hits were written, and `[open]` disappeared as an unknown style)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from followthemoney.proxy import EntityProxy
from rich.text import Text
from typer.testing import CliRunner

from jalur.clikit import console, print_listing
from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.store import Store


def test_batch_prints_bracketed_values_verbatim(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    source = tmp_path / "customers.csv"
    source.write_text("id,name,dob,country\nc1,Umar Patek,[/x],[open]\nc2,Budi,1970,ID\n")
    out = tmp_path / "hits.csv"
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(tmp_path)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", "batch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "'[/x]'" in result.output and "'[open]'" in result.output
    assert "read 2 = accepted 2" in result.output


def test_listing_cells_are_data_not_markup() -> None:
    with console.capture() as captured:
        print_listing(False, [], ("name", "note"), [("[bold]x[/]", Text("[/y]", style="bold"))])
    shown = captured.get()
    assert "[bold]x[/]" in shown and "[/y]" in shown
