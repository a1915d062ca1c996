"""An agency's admin adding a user without `--agency` adds one of their own agency.

The default was the installation's agency, which an agency's admin may not add users to: every
`users add` of theirs without `--agency BNPT` was refused. API keys already default to the
admin's agency; users now do too (the installation's admins still add their own by default).
"""

from __future__ import annotations

from case_story import invoke
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import find_user


def test_a_user_added_without_an_agency_is_the_admins_agencys(sql_settings: Settings) -> None:
    assert invoke(sql_settings, "users", "add", "root", "--role", "admin").exit_code == 0
    added = invoke(sql_settings, "users", "add", "badm", "--role", "admin", "--agency", "BNPT",
                   user="root")  # fmt: skip
    assert added.exit_code == 0, added.output
    for admin, name in (("badm", "bana"), ("root", "ana")):
        made = invoke(sql_settings, "users", "add", name, "--role", "analyst", user=admin)
        assert made.exit_code == 0, made.output
    engine = open_database(sql_settings)
    try:
        agencies = {n: u.agency for n in ("bana", "ana") if (u := find_user(engine, n))}
    finally:
        engine.dispose()
    assert agencies == {"bana": "BNPT", "ana": "DEFAULT"}
