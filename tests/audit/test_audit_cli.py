"""`jalur audit show | verify | seal | export` and `verify --file`, as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.exchange import create_identity, export_card
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import audit_log

PW, PASSPHRASE = "correct horse battery", "a long agency passphrase 42"


def _run(settings: Settings, *args: str, user: str = "") -> tuple[int, str]:
    env = {
        "JALUR_NEW_PASSWORD": PW,
        "JALUR_PASSWORD": PW,
        "JALUR_USER": user,
        "JALUR_PASSPHRASE": PASSPHRASE,
    }
    result = CliRunner().invoke(app, ["--home", str(settings.home), *args], env=env)
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def _workspace(settings: Settings) -> None:
    create_identity(settings.home, "PPATK", "ID", PASSPHRASE)
    assert _run(settings, "users", "add", "root", "--role", "admin")[0] == 0
    for name, role in (("ana", "analyst"), ("sam", "supervisor"), ("aud", "auditor")):
        assert _run(settings, "users", "add", name, "--role", role, user="root")[0] == 0


def test_show_seal_verify_export(sql_settings: Settings, tmp_path: Path) -> None:
    _workspace(sql_settings)
    code, out = _run(sql_settings, "audit", "show", "--json", user="ana")
    assert code == 1
    assert "the role analyst may not read the audit trail" in out
    code, out = _run(sql_settings, "audit", "show", "--json", "--object", "user:sam", user="aud")
    assert code == 0, out
    assert [e["action"] for e in json.loads(out)] == ["user.add"]
    code, out = _run(sql_settings, "audit", "seal")
    assert code == 0, out
    assert "sealed entry" in out
    code, out = _run(sql_settings, "audit", "verify", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["intact"]
    assert report["unsealed_tail"] == 0
    exported = tmp_path / "trail.jsonl"
    assert _run(sql_settings, "audit", "export", "--out", str(exported), user="aud")[0] == 0
    card = tmp_path / "ppatk.card.json"
    card.write_text(json.dumps(export_card(_identity(sql_settings), PASSPHRASE)))
    elsewhere = Settings.resolve(tmp_path / "partner")  # no identity, no users: only the card
    code, out = _run(elsewhere, "audit", "verify", "--file", str(exported), "--card", str(card))
    assert code == 0, out
    assert "intact" in out


def test_verify_names_the_edited_entry(sql_settings: Settings, tmp_path: Path) -> None:
    _workspace(sql_settings)
    _run(sql_settings, "audit", "seal")
    engine = open_database(sql_settings)
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 2).values(object="user:eve"))
    code, out = _run(sql_settings, "audit", "verify")  # entry 2 is before the seal
    assert code == 0, out
    assert "checked: from the seal of entry 4: no entry after it; entries 1-4 by" in out
    code, out = _run(sql_settings, "audit", "verify", "--full")
    assert code == 1
    assert "BROKEN: entry 2 was altered" in out
    assert "checked: every entry hashed again (1-4)" in out
    assert _run(sql_settings, "users", "disable", "ana", user="root")[0] == 0  # entry 5
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 5).values(object="user:eve"))
    engine.dispose()
    code, out = _run(sql_settings, "audit", "verify")
    assert code == 1
    assert "BROKEN: entry 5 was altered" in out
    code, out = _run(sql_settings, "audit", "seal")
    assert code == 1
    assert "not sealed" in out


def _identity(settings: Settings):  # type: ignore[no-untyped-def]
    from jalur.exchange import load_identity

    return load_identity(settings.home)
