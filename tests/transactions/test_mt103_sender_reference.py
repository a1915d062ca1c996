"""A quarantined MT103 keeps its sender's reference (field `:20:`), the one a payments officer
asks the sending bank about: the quarantine showed `message 2 (line 11)` and nothing the
bank's own systems know the message by. The position, the quarantine's key, is unchanged."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app
from jalur.store import Store
from jalur.transactions import quarantine_rows

HEAD = "{1:F01BANKIDJAAXXX0000000000}{2:I103BANKRUMMXXXXN}{4:\n"
GOOD = HEAD + ":20:PAYREF-0001\n:32A:240501IDR1000000,\n:50K:/1\nAHMAD YANI\n:59:/2\nBUDI\n-}"
CURRENCY = HEAD + ":20:PAYREF-0002\n:32A:240501XXQ1000,\n:50K:/1\nSITI\n:59:/2\nJOKO\n-}"
NO_PAYEE = HEAD + ":20:PAYREF-0003\n:32A:240501IDR1000,\n:50K:/1\nSITI AMINAH\n-}"
OTHER = "{1:F01BANKIDJAAXXX0000000000}{2:I199BANKRUMMXXXXN}{4:\n:20:Q1\n:79:PLEASE\n-}"
NO_REFERENCE = HEAD + ":32A:240501IDR1000,\n:50K:/1\nSITI\n-}"


def test_the_sender_reference_is_kept_with_the_quarantined_message(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "day.fin"
    path.write_text("\n".join([GOOD, CURRENCY, NO_PAYEE, OTHER, NO_REFERENCE]), encoding="utf-8")
    counts = load(path, "mt103")
    assert (counts.accepted, counts.rejected) == (1, 4)
    found = {r["source_position"]: r["end_to_end_id"] for r in quarantine_rows(store)}
    assert found == {
        "message 2 (line 9)": "PAYREF-0002",
        "message 3 (line 17)": "PAYREF-0003",
        "message 4 (line 23)": "Q1",
        "message 5 (line 27)": None,
    }


def test_the_quarantine_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "day.fin"
    path.write_text("\n".join([GOOD, CURRENCY]), encoding="utf-8")
    home = str(tmp_path / "ws")
    runner = CliRunner()
    loaded = runner.invoke(app, ["--home", home, "tx", "load", str(path), "--format", "mt103"])
    assert loaded.exit_code == 3, loaded.output
    shown = runner.invoke(app, ["--home", home, "tx", "quarantine"])
    assert ":20:" in shown.output and "PAYREF-0002" in shown.output
