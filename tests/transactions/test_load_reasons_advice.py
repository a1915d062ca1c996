"""A load that quarantines records names its commonest reasons and what a mapping changes to
read them: a local bank's export wholly rejected for its date layout (`31/12/2026`), its
amounts (`1.234.567,89`) or its currency said only `rejected 5 (see jalur tx quarantine)`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app

MAPPING = """columns:
  timestamp: Tanggal
  orig_account: Dari
  bene_account: Ke
  amount: Jumlah
  currency: Uang
delimiter: ";"
"""


def test_the_commonest_reasons_come_with_the_mapping_setting_that_reads_them(
    tmp_path: Path,
) -> None:
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text(
        "Tanggal;Dari;Ke;Jumlah;Uang\n"
        "31/12/2026;1;2;5;IDR\n30/12/2026;1;2;6;IDR\n"
        "2026-12-29;1;2;1.234.567,89;IDR\n2026-12-28;1;2;7;$\n2026-12-27;1;2;8;IDR\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["--home", str(tmp_path / "h"), "tx", "load", str(source), "--format", "csv",
         "--mapping", str(mapping)],
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    said = " ".join(result.output.split())
    assert (
        "most rejected for: bad timestamp (2): a mapping's timestamp_format reads other layouts"
        ' ("%d/%m/%Y %H:%M"); amount is not a number (1): a mapping\'s decimal_comma: true'
        " reads 1.234.567,89; unknown currency (1): a mapping's constants: currency: names a"
        " file's one currency"
    ) in said


def test_a_load_without_rejects_says_nothing_more(tmp_path: Path) -> None:
    source = tmp_path / "ok.csv"
    source.write_text(
        "tx_id,timestamp,orig_account,bene_account,amount,currency\nT1,2026-12-07,A,B,5,IDR\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "h"), "tx", "load", str(source), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "most rejected" not in result.output
