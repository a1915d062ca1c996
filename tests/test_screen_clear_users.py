"""In a workspace with user accounts, a screening hit is cleared by a signed-in user who may.

`screen clear --user NAME` recorded whatever name it was given, unchecked: with accounts set
up (`jalur users add`), an auditor (who changes nothing), an API client's account, a name no
account has, or nobody signed in at all could each record a decision that suppresses a hit
from every later screening. Clearing is now done as a signed-in user whose role works cases
(analyst, supervisor), recorded with the source `signed in`; a refusal is audited and
changes nothing. A workspace without accounts keeps the claimed name (`--user`, JALUR_USER,
login), as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from case_story import LISTED, invoke, ok, write_list
from jalur.config import Settings

CLEAR = ("screen", "clear", "--customer", "C-1", "--entity", LISTED, "--reason", "born 1990")


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    settings = Settings.resolve(tmp_path / "home")
    ok(settings, "lists", "load", str(write_list(tmp_path)), "--format", "ftm", "--name", "dttot")
    ok(settings, "screen", "name", "Abu Rusdan", "--customer-id", "C-1")
    return settings


def test_only_a_signed_in_user_who_works_cases_may_clear(ws: Settings) -> None:
    ok(ws, "users", "add", "root", "--role", "admin")
    for name, role in [("ana", "analyst"), ("odit", "auditor")]:
        ok(ws, "users", "add", name, "--role", role, user="root")
    for who, why in [
        ("odit", "the role auditor may not work cases"),
        ("root", "the role admin may not work cases"),
        ("", "not signed in"),
        ("mallory", "refused"),
    ]:
        refused = invoke(ws, *CLEAR, user=who)
        assert refused.exit_code == 1, (who, refused.output)
        assert why in refused.output, (who, refused.output)
    # the subcommand's own --user names an account too, and is signed in like the global one
    assert invoke(ws, *CLEAR, "--user", "odit").exit_code == 1
    assert (
        json.loads(ok(ws, "screen", "name", "Abu Rusdan", "--customer-id", "C-1", "--json"))[
            "suppressed"
        ]
        == 0
    )  # nothing was recorded
    cleared = json.loads(ok(ws, *CLEAR, "--json", user="ana"))
    decision = cleared["decisions"][0]
    assert (decision["decided_by"], decision["user_source"]) == ("ana", "signed in")
    again = json.loads(ok(ws, "screen", "name", "Abu Rusdan", "--customer-id", "C-1", "--json"))
    assert again["suppressed"] == 1


def test_without_accounts_the_claimed_name_is_kept(ws: Settings) -> None:
    cleared = json.loads(ok(ws, *CLEAR, "--user", "alice", "--json"))
    assert (cleared["decisions"][0]["decided_by"], cleared["decisions"][0]["user_source"]) == (
        "alice",
        "--user",
    )
