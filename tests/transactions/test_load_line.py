"""`jalur tx load`'s closing line points at `jalur tx quarantine` only when something went
there: a clean load read "rejected 0 (see `jalur tx quarantine`)", sending the analyst to
look for records that do not exist."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app

runner = CliRunner()
HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"


def test_the_quarantine_is_named_only_when_records_went_there(tmp_path: Path) -> None:
    clean, bad = tmp_path / "clean.csv", tmp_path / "bad.csv"
    clean.write_text(HEADER + "C1,2026-12-01T08:30:00,A,B,100,IDR\n")
    bad.write_text(HEADER + "B1,2026-12-01T08:30:00,A,B,100,IDR\nB2,2026-12-01,A,B,lots,IDR\n")
    home = ["--home", str(tmp_path / "home")]
    ok = runner.invoke(app, [*home, "tx", "load", str(clean), "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert "rejected 0," in ok.stdout and "jalur tx quarantine" not in ok.stdout
    some = runner.invoke(app, [*home, "tx", "load", str(bad), "--format", "csv"])
    assert "rejected 1 (see `jalur tx quarantine`)" in some.stdout
