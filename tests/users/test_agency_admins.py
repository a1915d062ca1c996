"""An agency's admin manages its own agency's users and API keys, not another's.

Users are added on the command line only, so every agency's admin runs it on the shared
installation. A BNPT admin could add an analyst to PPATK (and read PPATK's data through the
service), disable PPATK's supervisor, add an admin of the installation's default agency, or
make an API key for PPATK; the docs say keys are made "by an admin for their own agency".
The installation's own (default agency's) admins still add the first users of every agency.
"""

from __future__ import annotations

import json

from case_story import invoke
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import list_users


def _people(settings: Settings) -> None:
    assert invoke(settings, "users", "add", "root", "--role", "admin").exit_code == 0
    for name, role, agency in (("badm", "admin", "BNPT"), ("padm", "admin", "PPATK"),
                               ("pana", "analyst", "PPATK")):  # fmt: skip
        added = invoke(settings, "users", "add", name, "--role", role, "--agency", agency,
                       user="root")  # fmt: skip
        assert added.exit_code == 0, added.output


def _refusals(settings: Settings) -> list[str]:
    shown = invoke(settings, "audit", "show", "--json", user="root")
    assert shown.exit_code == 0, shown.output
    return [e["details"]["action"] for e in json.loads(shown.stdout)
            if e["action"] == "access.refused"]  # fmt: skip


def test_an_agencys_admin_manages_only_its_own_users_and_keys(sql_settings: Settings) -> None:
    _people(sql_settings)
    for args in (
        ("users", "add", "mole", "--role", "analyst", "--agency", "PPATK"),
        ("users", "add", "boss", "--role", "admin", "--agency", "DEFAULT"),
        ("users", "add", "ghost", "--role", "analyst", "--agency", "NEWCO"),
        ("users", "key", "create", "backdoor", "--role", "analyst", "--agency", "PPATK"),
    ):
        refused = invoke(sql_settings, *args, user="badm")
        assert refused.exit_code == 1, (args, refused.output)
        assert "agency BNPT" in refused.output, (args, refused.output)
    refused = invoke(sql_settings, "users", "disable", "pana", user="badm")  # answered as missing
    assert (refused.exit_code, refused.output.strip()) == (1, "error: no user pana")
    assert len(_refusals(sql_settings)) == 5
    engine = open_database(sql_settings)
    try:
        found = {u.name: u for u in list_users(engine)}
        assert not {"mole", "boss", "ghost"} & set(found) and not found["pana"].disabled
    finally:
        engine.dispose()
    keys = json.loads(invoke(sql_settings, "users", "key", "list", "--json", user="root").stdout)
    assert keys == []
    # Their own agency's, and the installation's admin for any agency, as before.
    own = invoke(sql_settings, "users", "add", "bana", "--role", "analyst", "--agency", "BNPT",
                 user="badm")  # fmt: skip
    assert own.exit_code == 0, own.output
    assert invoke(sql_settings, "users", "key", "create", "bnpt bank", user="badm").exit_code == 0
    assert invoke(sql_settings, "users", "disable", "bana", user="badm").exit_code == 0
    assert invoke(sql_settings, "users", "disable", "pana", user="root").exit_code == 0


def test_an_agencys_admin_revokes_only_its_own_agencys_keys(sql_settings: Settings) -> None:
    _people(sql_settings)
    made = invoke(sql_settings, "users", "key", "create", "ppatk bank", user="padm")
    assert made.exit_code == 0, made.output
    listed = invoke(sql_settings, "users", "key", "list", "--json", user="padm").stdout
    key_id = json.loads(listed)[0]["id"]
    refused = invoke(sql_settings, "users", "key", "revoke", key_id, user="badm")
    assert refused.exit_code == 1 and f"no live API key {key_id}" in refused.output
    keys = json.loads(invoke(sql_settings, "users", "key", "list", "--json", user="padm").stdout)
    assert keys[0]["revoked_at"] is None
    assert invoke(sql_settings, "users", "key", "revoke", key_id, user="padm").exit_code == 0
