"""`jalur agency …` refusals: weak passphrases, and a card that would undo a local revocation."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.exchange import ExchangeError, create_identity, load_identity

runner = CliRunner()
STRONG = "agency errors passphrase"
RULE = "at least 12 characters with at least 5 different ones"


def _cli(home: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return " ".join((result.stdout + result.stderr).split())


@pytest.mark.parametrize(
    "weak", ["x", "correct hor", "aaaaaaaaaaaaaaaa", "abababababababab", "1234567890123456789"]
)
def test_a_weak_passphrase_is_refused_with_the_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weak: str
) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", weak)
    out = _cli(tmp_path, "agency", "init", "--name", "PPATK", "--country", "ID", code=1)
    assert "the passphrase is too weak to protect the agency's keys" in out and RULE in out
    assert not (tmp_path / "agency" / "identity.json").exists()


def test_changing_the_passphrase_requires_a_strong_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", STRONG)
    _cli(tmp_path, "agency", "init", "--name", "PPATK", "--country", "ID")
    _cli(tmp_path, "agency", "rotate")
    monkeypatch.setenv("JALUR_NEW_PASSPHRASE", "short")
    out = _cli(tmp_path, "agency", "passphrase", code=1)
    assert RULE in out and "the passphrase was not changed" in out
    monkeypatch.setenv("JALUR_NEW_PASSPHRASE", "a different long passphrase")
    assert "passphrase changed for 2 key generation(s)" in _cli(tmp_path, "agency", "passphrase")
    me = load_identity(tmp_path)
    for key in me.keys:
        me.unlock(key.key_id, "a different long passphrase")
        with pytest.raises(ExchangeError, match="wrong passphrase"):
            me.unlock(key.key_id, STRONG)
    for n, good in enumerate(["12345678901234567890", "Tr0ub4dor&3xyz"]):  # long digits, mixed
        create_identity(tmp_path / str(n), "PPATK", "ID", good)


def test_replace_with_a_card_whose_key_was_revoked_here_is_a_clear_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", STRONG)
    ppatk, rosfin, card = tmp_path / "ppatk", tmp_path / "rosfin", tmp_path / "rosfin.card"
    _cli(ppatk, "agency", "init", "--name", "PPATK", "--country", "ID")
    _cli(rosfin, "agency", "init", "--name", "Rosfinmonitoring", "--country", "RU")
    _cli(rosfin, "agency", "card", "--out", str(card))
    _cli(ppatk, "agency", "add-partner", str(card))
    assert "partner rosfinmonitoring updated" in _cli(
        ppatk, "agency", "add-partner", str(card), "--replace"
    )
    key = load_identity(rosfin).active
    _cli(
        ppatk,
        "agency",
        "revoke-partner",
        "rosfinmonitoring",
        "--key",
        key.key_id,
        "--reason",
        "phoned: key stolen",
    )
    out = _cli(ppatk, "agency", "add-partner", str(card), "--replace", code=1)
    assert f"offers key {key.fingerprint} as its active key, but that key was revoked here" in out
    assert "(phoned: key stolen); a card cannot undo a revocation" in out
    assert "revoked" in _cli(ppatk, "agency", "list")
