"""`jalur stream publish` of a bank statement: its balance and total lines ("Saldo Awal",
"Saldo Akhir", "Closing balance") are not payments, and `tx load` counts them apart; publish
dropped them without a word, so the rows it said it read were fewer than the file's lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from statement_sample import LINES as SAMPLE
from statement_sample import MAPPING

#: the movements and the balance lines, without the lines `tx load`'s own test adds (a bad
#: payment and totals); publish reads what `tx load` reads
LINES = [*SAMPLE[:4], *(line for line in SAMPLE if "Saldo Akhir" in line or "Closing" in line)]


@pytest.mark.parametrize("as_json", [False, True])
def test_a_statements_own_lines_are_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_json: bool
) -> None:
    async def sent(url: str, payments: list[object], subjects: object) -> tuple[int, int]:
        return len(payments), 0

    monkeypatch.setattr("jalur.stream.commands.publish_payments", sent)
    data, mapping = tmp_path / "mutasi.csv", tmp_path / "mutasi.yaml"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    args = ["--home", str(tmp_path / "ws"), "stream", "publish", str(data), "--format", "csv"]
    result = CliRunner().invoke(app, [*args, "--mapping", str(mapping), *(["--json"] * as_json)])
    assert result.exit_code == 0, result.output
    if as_json:
        assert json.loads(result.stdout) == {"sent": 2, "duplicates": 0, "refused": 0, "footers": 3}
    else:
        said = " ".join(result.stdout.split())
        assert "2 read: sent 2 payments" in said
        assert "3 statement balance or total lines (not payments)" in said
