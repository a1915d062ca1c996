"""A file name that is not UTF-8 (a Latin-1 name from a Windows share, `pay\\xe9.csv`) reaches
Python as lone surrogates: pyarrow and DuckDB could not open it and the audit trail could not
store it, so `tx load` and `screen batch` ended in UnicodeEncodeError tracebacks. Now the readers
refuse it by name with what to do, and the trail stores any text, such bytes written out."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from jalur.audit import check_trail, entries, record
from jalur.cli import app
from jalur.config import Settings
from jalur.inputs import path_name_problem, path_text
from jalur.sqlstore import open_database

runner = CliRunner()
PAYMENTS = (
    "tx_id,timestamp,orig_account,bene_account,amount,currency,orig_name,bene_name\n"
    "T1,2026-01-01T00:00:00Z,A1,A2,100.00,USD,Budi Santoso,Siti Rahmawati\n"
)

LISTED = (
    '{"id": "p1", "schema": "Person", "properties": {"name": ["Umar Patek"], '
    '"topics": ["sanction"]}}\n'
)


def _latin1(folder: Path, stem: bytes, text: str) -> Path:
    path = Path(os.fsdecode(os.fsencode(folder) + b"/" + stem))
    path.write_text(text, encoding="utf-8")
    return path


def test_a_name_in_other_bytes_is_named_and_written_out(tmp_path: Path) -> None:
    path = _latin1(tmp_path, b"pay\xe9.csv", PAYMENTS)
    assert path_name_problem(path) == "its name is not UTF-8: rename the file and run again"
    assert path_text(path).endswith("pay\\xe9.csv")
    assert path_name_problem(tmp_path / "pagos_señal.csv") is None  # UTF-8 names are names


def test_tx_load_refuses_it_by_name_without_a_traceback(tmp_path: Path) -> None:
    path = _latin1(tmp_path, b"pay\xe9.csv", PAYMENTS)
    home = tmp_path / "ws"
    result = runner.invoke(app, ["--home", str(home), "tx", "load", "--format", "csv", str(path)])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "pay\\xe9.csv" in result.stderr and "not UTF-8" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("side", ["input", "output"])
def test_screen_batch_refuses_it_by_name_without_a_traceback(tmp_path: Path, side: str) -> None:
    customers = "id,name\n1,Budi Santoso\n"
    if side == "input":
        source, out = _latin1(tmp_path, b"cust\xe9.csv", customers), tmp_path / "hits.csv"
    else:
        source = tmp_path / "cust.csv"
        source.write_text(customers, encoding="utf-8")
        out = Path(os.fsdecode(os.fsencode(tmp_path) + b"/hits\xe9.csv"))
    home = tmp_path / "ws"
    listed = tmp_path / "list.json"
    listed.write_text(LISTED, encoding="utf-8")
    loaded = runner.invoke(
        app, ["--home", str(home), "lists", "load", "--format", "ftm", "--name", "t", str(listed)]
    )
    assert loaded.exit_code == 0, loaded.stdout + loaded.stderr
    args = ["--home", str(home), "screen", "batch", str(source), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "\\xe9.csv" in result.stderr and "not UTF-8" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def test_the_trail_stores_a_name_in_other_bytes(engine: Engine, sql_settings: Settings) -> None:
    name = os.fsdecode(b"/share/pay\xe9.csv")
    record(engine, "ana", "tx.load", name, {"file": name, "parts": [name, "\ud800"]})
    with engine.connect() as con:
        entry = list(entries(con))[-1]
    assert entry.object == "/share/pay\\xe9.csv"
    assert entry.details["file"] == "/share/pay\\xe9.csv"
    assert entry.details["parts"] == ["/share/pay\\xe9.csv", "\\ud800"]
    report = check_trail(engine, [], sql_settings.seals_path)
    assert report.problems == []
