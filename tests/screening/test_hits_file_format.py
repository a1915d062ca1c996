"""`screen batch --out` writes CSV or Parquet by the output's suffix; any other suffix is refused
before anything is screened.

A compliance officer who screened an `.xlsx` customer file and asked for `--out hits.xlsx` got a
CSV text file named `.xlsx`, which Excel refuses to open ("file format or extension is not
valid") — after the run said the hits were written there, and the customers were remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import register_cli
from jalur.screening.batch import BatchInputError, HitWriter
from jalur.screening.store import ensure_tables
from jalur.store import Store


@pytest.mark.parametrize("name", ["hits.xlsx", "hits.xls", "hits.json", "hits"])
def test_an_output_neither_csv_nor_parquet_is_refused_before_screening(
    tmp_path: Path, make_listed: Callable[..., EntityProxy], name: str
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    source = tmp_path / "customers.csv"
    source.write_text("id,name\nc1,Umar Patek\n", encoding="utf-8")
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(tmp_path)

    register_cli(app)
    out = tmp_path / name
    result = CliRunner().invoke(app, ["screen", "batch", str(source), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "name the hits file .csv or .parquet" in " ".join(result.output.split())
    assert not out.exists()
    with Store.open(Settings.resolve(tmp_path)) as store:  # nothing screened: none remembered
        ensure_tables(store)
        assert store.execute("SELECT count(*) FROM screening_parties").fetchone() == (0,)


@pytest.mark.parametrize("name", ["hits.csv", "HITS.CSV", "hits.parquet", "hits.pq"])
def test_csv_and_parquet_are_written(tmp_path: Path, name: str) -> None:
    writer = HitWriter(tmp_path / name)
    writer.close()
    assert (tmp_path / name).exists()


def test_the_writer_refuses_another_suffix(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match=r"hits\.xlsx: name the hits file \.csv or \.parquet"):
        HitWriter(tmp_path / "hits.xlsx")
