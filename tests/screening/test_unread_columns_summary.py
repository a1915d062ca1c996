"""`screen batch` warns about columns it does not read: a customer file with thousands of
extra columns (a wide export) named every one on one line (10,000 names, about 100 KB)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.screening.batch import BatchReport, parse_rows, read_batches
from jalur.store import Store


def _batch(tmp_path: Path, make_listed: Callable[..., EntityProxy], header: str, row: str) -> str:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    source = tmp_path / "customers.csv"
    source.write_text(f"{header}\n{row}\n", encoding="utf-8")
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(tmp_path)

    register_cli(app)
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(app, ["screen", "batch", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def test_many_unread_columns_are_summarised_first_few_and_a_count(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    extra = [f"extra{i}" for i in range(10_000)]
    shown = _batch(
        tmp_path, make_listed, ",".join(["id", "name", *extra]), "c1,Budi" + ",x" * 10_000
    )
    (warning,) = [line for line in shown.splitlines() if "column(s) not read" in line]
    assert "extra0, extra1," in warning and "extra9 … and 9,990 more" in warning
    assert "extra10," not in warning and "extra9999" not in warning
    assert len(shown) < 2_000


def test_a_few_unread_columns_are_all_named_and_a_long_name_is_cut(
    tmp_path: Path, make_listed: Callable[..., EntityProxy]
) -> None:
    long_name = "L" * 5_000
    shown = _batch(tmp_path, make_listed, f"id,name,branch,{long_name}", "c1,Budi,Jakarta,x")
    assert f"column(s) not read: branch, {'l' * 39}… (read:" in " ".join(shown.split())


def test_a_column_without_a_header_is_named_by_its_place(tmp_path: Path) -> None:
    """A trailing separator on every line (`id;name;dob;`, as many exports write) or a column
    of values left without a heading: the warning named an empty string (`column(s) not read:
    (read: …`), and a birth-date column without its heading would go unscreened unnoticed."""
    source = tmp_path / "customers.csv"
    source.write_text("id;name;;dob;\r\nc1;Umar Patek;20.07.1966;1966;\r\n")
    report = BatchReport()
    for batch in read_batches(source):
        parse_rows(batch, 1, report, {})
    assert report.unread_columns == ["column 3 (no header)", "column 5 (no header)"]
    assert report.accepted == 1
