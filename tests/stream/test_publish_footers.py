"""`jalur stream publish` of a bank statement: its balance and total lines ("Saldo Awal",
"Saldo Akhir", "Closing balance") are not payments, and `tx load` counts them apart; publish
dropped them without a word, so the rows it said it read were fewer than the file's lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app

MAPPING = """columns:
  timestamp: Tanggal
  purpose: Keterangan
  amount: Jumlah
constants:
  currency: IDR
timestamp_format: "%d/%m/%Y"
decimal_comma: true
delimiter: ";"
statement:
  account: "0987654321"
  name: PT SUMBER REJEKI
  counterparty:
    account: Rekening Lawan
    name: Nama Lawan
  indicator: D/K
"""
LINES = [
    "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah;D/K",
    ";Saldo Awal;;;10.000.000,00;",
    "07/12/2026;TRSF E-BANKING;1234567890;BUDI SANTOSO;1.500.000,00;D",
    "07/12/2026;SETORAN;5555;PT MAJU JAYA;250.000,00;K",
    "31/12/2026;Saldo Akhir per 31/12/2026;;;8.750.000,00;",
    ";Closing balance;;;8.750.000,00;",
]


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
