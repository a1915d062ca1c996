"""`jalur users …` and signing in on the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings

PW = "correct horse battery"


def _run(settings: Settings, *args: str, user: str | None = None, pw: str = PW) -> tuple[int, str]:
    env = {"JALUR_NEW_PASSWORD": PW, "JALUR_PASSWORD": pw, "JALUR_USER": user or ""}
    result = CliRunner().invoke(app, ["--home", str(settings.home), *args], env=env)
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def test_users_add_list_disable(sql_settings: Settings) -> None:
    assert _run(sql_settings, "users", "add", "root", "--role", "admin")[0] == 0
    code, out = _run(sql_settings, "users", "add", "ana", "--role", "analyst")
    assert code == 1
    assert "not signed in" in out
    code, out = _run(sql_settings, "users", "add", "ana", "--role", "analyst", user="root")
    assert code == 0, out
    code, out = _run(sql_settings, "users", "list", "--json", user="root")
    assert '"ana"' in out
    assert '"root"' in out
    code, out = _run(sql_settings, "users", "disable", "ana", user="root", pw="wrong password!")
    assert code == 1
    assert "wrong password" in out
    assert _run(sql_settings, "users", "disable", "ana", user="root")[0] == 0
    code, out = _run(sql_settings, "users", "add", "eve", "--role", "admin", user="ana")
    assert code == 1
    assert "disabled" in out


@pytest.mark.parametrize("flag", ["--user", "env"])
def test_the_global_user_option_and_the_environment_both_sign_in(
    sql_settings: Settings, flag: str
) -> None:
    _run(sql_settings, "users", "add", "root", "--role", "admin")
    if flag == "--user":
        args = ["--home", str(sql_settings.home), "--user", "root", "users", "disable", "x"]
        env = {"JALUR_PASSWORD": PW}
    else:
        args = ["--home", str(sql_settings.home), "users", "disable", "x"]
        env = {"JALUR_PASSWORD": PW, "JALUR_USER": "root"}
    result = CliRunner().invoke(app, args, env=env)
    assert "no user x" in result.output


def test_users_add_and_disable_report_json(sql_settings: Settings) -> None:
    import json

    code, out = _run(sql_settings, "users", "add", "root", "--role", "admin", "--json")
    assert code == 0, out
    added = json.loads(out)
    assert (added["name"], added["role"], added["disabled"]) == ("root", "admin", False)
    assert PW not in out and "hash" not in out
    _run(sql_settings, "users", "add", "ana", "--role", "analyst", user="root")
    code, out = _run(sql_settings, "users", "disable", "ana", "--json", user="root")
    assert (code, json.loads(out)) == (0, {"disabled": "ana"})
