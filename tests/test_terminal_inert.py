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


def test_entities_show_writes_a_hostile_place_of_birth_out(tmp_path: Path) -> None:
    """A list's place of birth holding U+202E (or an ESC sequence) reached the terminal raw
    through `entities show`'s facts line, printed without markup but not made inert: every
    line any command prints now goes through the console's inert hook."""
    import json

    row = {"id": "p1", "schema": "Person", "properties": {
        "name": ["Abu Bakar Ba'asyir"], "birthPlace": ["Jombang\u202e, Java\x1b[2J"],
        "topics": ["crime.terror"]}}  # fmt: skip
    path = tmp_path / "list.ftm.json"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    loaded = runner.invoke(
        app, [*home, "lists", "load", str(path), "--format", "ftm", "--name", "t"]
    )
    assert loaded.exit_code == 0, loaded.output
    listed = runner.invoke(app, [*home, "lists", "export", "--out", str(tmp_path / "x.json")])
    assert listed.exit_code == 0, listed.output
    entity_id = json.loads((tmp_path / "x.json").read_text().splitlines()[0])["id"]
    shown = runner.invoke(app, [*home, "entities", "show", entity_id])
    assert shown.exit_code == 0, shown.output
    assert "\u202e" not in shown.output and "\x1b" not in shown.output, shown.output
    assert "Jombang\\u202e" in shown.output, shown.output


def test_a_capabilitys_warning_reads_as_the_commands_own(tmp_path: Path) -> None:
    """Python's default format printed `WARNING:jalur.lists.load:…` (the module first) and a
    list's value in the message raw; a warning now reads `warning: …`, made inert."""
    import json
    import subprocess
    import sys

    rows = [{"id": "a", "schema": "Person", "properties": {"name": [name]}}
            for name in ("Abu Bakar", "Abu Bakar Ba\u202easyir")]  # fmt: skip
    path = tmp_path / "l.ftm.json"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jalur", "--home", str(tmp_path / "home"), "lists", "load",
         str(path), "--format", "ftm", "--name", "t"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "warning: " in done.stderr and "merged" in done.stderr, done.stderr
    assert "WARNING:jalur" not in done.stderr and "\u202e" not in done.stderr, done.stderr
