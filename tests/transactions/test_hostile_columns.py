"""Column names come from files and mapping files: data, never SQL, never the loader's own.

`jalur tx load` once ended in raw DuckDB tracebacks for a Parquet column named `_row` or ``,
a canonical column of the wrong type, or a CSV column named `_reject`, and a file column named
like a working column (`_pos`, `_bad_utf8`) was read as the loader's own. Every such file now
loads or is refused with a message naming the column; a name made to break out of SQL quoting
is only ever a name, and the `transactions` table stays as it was.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_NOTHING_ACCEPTED, EXIT_PARTIAL
from jalur.store import Store
from jalur.transactions.normalize import quote

HOSTILE = 'a"; DROP TABLE transactions; --'
BASE = {
    "tx_id": ["T1"],
    "timestamp": ["2024-01-01T00:00:00Z"],
    "amount": ["5"],
    "currency": ["USD"],
}
runner = CliRunner()


def _load(home: Path, path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--home", str(home), "tx", "load", str(path), *args])
    # a refusal is a clean exit with a message, never an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _first_load(home: Path, tmp_path: Path) -> None:
    """Two good payments, loaded before every hostile file: they must survive it."""
    good = tmp_path / "good.csv"
    good.write_text(
        "tx_id,timestamp,amount,currency\n"
        "G1,2024-01-01T00:00:00Z,10,USD\nG2,2024-01-02T00:00:00Z,20,USD\n"
    )
    assert _load(home, good, "--format", "csv")[0] == 0


def _payments(home: Path) -> list[tuple[str, float]]:
    with Store(home / "jalur.duckdb") as store:
        return store.execute("SELECT tx_id, amount FROM transactions ORDER BY tx_id").fetchall()


@pytest.mark.parametrize(
    "extra",
    [
        {"extra": ["x"]},
        {"": ["blank name"]},
        {"_row": ["collides with the reader's row number"]},
        {"_reject": pa.array([5])},
        {"_pos": ["forged position"]},
        {"__ts": ["working column"]},
        {"__index_level_0__": pa.array([0])},  # pandas' index
        {"a\x00b": ["NUL in the name"]},
        {HOSTILE: ["x"]},
    ],
    ids=lambda e: repr(next(iter(e))),
)
def test_a_parquet_column_the_layout_does_not_name_is_not_read(
    tmp_path: Path, extra: dict[str, object]
) -> None:
    home = tmp_path / "ws"
    _first_load(home, tmp_path)
    path = tmp_path / "extra.parquet"
    pq.write_table(pa.table({**BASE, **extra}), path)
    code, output = _load(home, path, "--format", "parquet", "--json")
    assert code == 0, output
    assert json.loads(output) == {"read": 1, "accepted": 1, "rejected": 0, "duplicates": 0}
    assert _payments(home) == [("G1", 10.0), ("G2", 20.0), ("T1", 5.0)]
    with Store(home / "jalur.duckdb") as store:
        (position,) = store.execute(
            "SELECT source_position FROM transactions WHERE tx_id = 'T1'"
        ).fetchone() or (None,)
    assert position == "row 1"  # the reader's, never a column of the file


@pytest.mark.parametrize(
    "column",
    [
        pa.array([[1]]),
        pa.array([{"a": 1}]),
        pa.array([1], pa.duration("s")),
        pa.array([date(2024, 1, 1)]).cast(pa.date32()).dictionary_encode(),
    ],
    ids=["list", "struct", "duration", "dictionary"],
)
def test_a_canonical_parquet_column_of_another_type_is_judged_per_record(
    tmp_path: Path, column: pa.Array
) -> None:
    home = tmp_path / "ws"
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({**BASE, "amount": column}), path)
    code, output = _load(home, path, "--format", "parquet", "--json")
    assert code == EXIT_NOTHING_ACCEPTED, output  # the only record was rejected
    assert json.loads(output)["rejected"] == 1
    with Store(home / "jalur.duckdb") as store:
        (reason,) = store.execute("SELECT reason FROM tx_quarantine").fetchone() or (None,)
    assert str(reason).startswith("amount is not a number")


def test_a_csv_column_named_like_the_loaders_own_is_refused_by_name(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    _first_load(home, tmp_path)
    path = tmp_path / "reject.csv"
    path.write_text("tx_id,timestamp,amount,currency,_reject\nT1,2024-01-01T00:00:00Z,5,USD,x\n")
    code, output = _load(home, path, "--format", "csv")
    assert code == 1
    assert "line 1, column 5: '_reject' is a name the loader uses for its own columns" in " ".join(
        output.split()
    )
    assert _payments(home) == [("G1", 10.0), ("G2", 20.0)]


def test_a_hostile_column_name_in_a_csv_header_and_a_mapping_is_only_a_name(
    tmp_path: Path,
) -> None:
    home = tmp_path / "ws"
    _first_load(home, tmp_path)
    quoted = '"' + HOSTILE.replace('"', '""') + '"'
    path = tmp_path / "bank.csv"
    path.write_bytes(
        f"Ref,When,{quoted},Ccy,Note\n".encode()
        + b"T1,2024-01-01T00:00:00Z,\xff,USD,x\n"  # not UTF-8: the reason names the column
        + b"T2,2024-01-01T00:00:00Z,7,USD,y\n"
    )
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(
        "columns:\n  tx_id: Ref\n  timestamp: When\n"
        f"  amount: {json.dumps(HOSTILE)}\n  currency: Ccy\n"
    )
    code, output = _load(home, path, "--format", "csv", "--mapping", str(mapping), "--json")
    assert code == EXIT_PARTIAL, output  # one record in, one quarantined
    assert json.loads(output) == {"read": 2, "accepted": 1, "rejected": 1, "duplicates": 0}
    assert _payments(home) == [("G1", 10.0), ("G2", 20.0), ("T2", 7.0)]
    with Store(home / "jalur.duckdb") as store:
        (reason,) = store.execute("SELECT reason FROM tx_quarantine").fetchone() or (None,)
        tables = {row[0] for row in store.execute("SHOW TABLES").fetchall()}
    assert reason == f'not valid UTF-8 in column "{HOSTILE}" (wrong encoding?)'
    assert {"transactions", "tx_loads", "tx_quarantine", "tx_parties"} <= tables


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("  amount: _row\n", "columns.amount: '_row' is a name the loader uses"),
        ("  amount: 5\n", "columns.amount must name a column, not 5"),
        ("  - amount\n", "'columns' must be a table of canonical field: value"),
        (f"  {json.dumps(HOSTILE)}: Amount\n", "unknown canonical fields"),
    ],
)
def test_a_mapping_that_names_no_usable_column_is_refused(
    tmp_path: Path, columns: str, message: str
) -> None:
    path = tmp_path / "bank.csv"
    path.write_text("Amount,_row\n5,x\n")
    mapping = tmp_path / "bank.yaml"
    mapping.write_text("columns:\n" + columns)
    code, output = _load(tmp_path / "ws", path, "--format", "csv", "--mapping", str(mapping))
    assert code == 1
    assert message in " ".join(output.split())


@pytest.mark.parametrize("name", [HOSTILE, 'x""y', '"', "SELECT", "ü ß", "a'b"])
def test_quote_doubles_embedded_quotes_and_round_trips(name: str) -> None:
    with duckdb.connect() as con:
        cursor = con.execute(f"SELECT 1 AS {quote(name)}")
        assert cursor.description is not None and cursor.description[0][0] == name


def test_a_csv_column_with_a_blank_header_is_named_by_its_place(tmp_path: Path) -> None:
    """pandas writes its index under a blank header; the empty name broke the SQL."""
    path = tmp_path / "pandas.csv"
    path.write_text(",tx_id,timestamp,amount,currency\n0,T1,2024-01-01T00:00:00Z,5,USD\n")
    code, output = _load(tmp_path / "ws", path, "--format", "csv", "--json")
    assert code == 0, output
    assert json.loads(output)["accepted"] == 1
