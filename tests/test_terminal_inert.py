"""A value from a file never acts on the analyst's terminal: an ESC sequence or a
right-to-left override in a payment's holder name reached it raw through `accounts show`
(the tables and messages escaped Rich markup, not control characters)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import inert


def test_accounts_show_writes_a_hostile_holder_name_out(tmp_path: Path) -> None:
    payments = tmp_path / "pay.csv"
    payments.write_text(
        "tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
        "T1,2025-06-01T10:00:00Z,ACC5,Taufik\x1b[2J Rifki,ACC6,Dua\u202eAkun,5000,IDR\n",
        encoding="utf-8",
    )
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    loaded = runner.invoke(app, [*home, "tx", "load", str(payments), "--format", "csv"])
    assert loaded.exit_code == 0, loaded.output
    for account in ("ACC5", "ACC6"):
        shown = runner.invoke(app, [*home, "accounts", "show", account])
        assert shown.exit_code == 0, shown.output
        assert "\x1b" not in shown.output and "\u202e" not in shown.output, shown.output
    shown = runner.invoke(app, [*home, "accounts", "show", "ACC5"])
    assert "Taufik\\x1b[2J Rifki" in shown.output, shown.output


def test_inert_keeps_text_and_spacing() -> None:
    assert inert("Abu Bakar\tBa'asyir\n[x]") == "Abu Bakar\tBa'asyir\n[x]"
    assert inert("a\x07b\x9bc\u2066d") == "a\\x07b\\x9bc\\u2066d"
