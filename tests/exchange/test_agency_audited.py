"""Every change to this agency's keys and to whom it trusts is on the workspace audit trail.

`agency init`, `add-partner`, `revoke-partner`, `rotate`, `revoke` and `passphrase` wrote
nothing there: who trusted a partner's card (with or without a fingerprint check, or with
`--replace`), who distrusted a key and why, when the agency's own keys changed, could not be
told afterwards, while every package those keys signed or verified was recorded. A card
refused is recorded too (its revocations are applied all the same).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from exchange_agencies import cli_app
from typer.testing import CliRunner

import jalur.exchange
from jalur.audit import entries
from jalur.config import Settings
from jalur.sqlstore import open_database

runner = CliRunner()


def _app() -> typer.Typer:
    return cli_app(jalur.exchange.register_cli)


def _run(home: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(_app(), ["--home", str(home), *args])
    assert result.exit_code == code, result.stdout + result.stderr
    return result.stdout


def _trail(home: Path) -> list[tuple[str, str | None, dict[str, Any]]]:
    engine = open_database(Settings.resolve(home))
    with engine.connect() as con:
        found = [(e.action, e.object, e.details) for e in entries(con)]
    engine.dispose()
    return [f for f in found if f[0].startswith("agency.")]


def test_key_and_trust_changes_are_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", "demo passphrase one")
    monkeypatch.setenv("JALUR_NEW_PASSPHRASE", "demo passphrase two")
    ours, theirs = tmp_path / "ppatk", tmp_path / "rosfin"
    _run(ours, "agency", "init", "--name", "PPATK", "--country", "ID")
    _run(theirs, "agency", "init", "--name", "Rosfinmonitoring", "--country", "RU")
    card = tmp_path / "rosfin.card"
    made = json.loads(_run(theirs, "agency", "card", "--out", str(card), "--json"))
    _run(ours, "agency", "add-partner", str(card), "--fingerprint", "0000", code=1)
    _run(ours, "agency", "add-partner", str(card), "--fingerprint", made["fingerprint"])
    key = made["fingerprint"].replace(" ", "")[:8]
    _run(ours, "agency", "revoke-partner", "rosfinmonitoring", "--key", key,
         "--reason", "phoned: key stolen")  # fmt: skip
    rotated = json.loads(_run(ours, "agency", "rotate", "--json"))["fingerprint"]
    _run(ours, "agency", "revoke", "--key", rotated.replace(" ", "")[:8], "--reason", "lost")
    monkeypatch.setenv("JALUR_PASSPHRASE", "demo passphrase one")
    _run(ours, "agency", "passphrase")

    trail = _trail(ours)
    assert [(action, obj) for action, obj, _ in trail] == [
        ("agency.init", "PPATK"),
        ("agency.add-partner-refused", str(card)),
        ("agency.add-partner", "rosfinmonitoring"),
        ("agency.revoke-partner", "rosfinmonitoring"),
        ("agency.rotate", "PPATK"),
        ("agency.revoke", "PPATK"),
        ("agency.passphrase", "PPATK"),
    ]
    details = {action: d for action, _, d in trail}
    assert "fingerprint mismatch" in details["agency.add-partner-refused"]["reason"]
    assert details["agency.add-partner"]["fingerprint_checked"] is True
    assert details["agency.add-partner"]["key_id"] == made["fingerprint"].replace(" ", "").lower()
    assert details["agency.revoke-partner"]["reason"] == "phoned: key stolen"
    assert details["agency.revoke"]["reason"] == "lost"
    assert details["agency.revoke"]["key_id"] == rotated.replace(" ", "").lower()
    assert details["agency.rotate"]["key_id"] == rotated.replace(" ", "").lower()
