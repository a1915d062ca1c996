"""`jalur users enable`: a disabled user is enabled again by an admin, as disabling was done.

There was `users disable` and no way back short of SQL on the store (unaudited, and on a
shared installation not the agency admin's to run). Enabling follows disabling's rules: a
signed-in admin, of the user's own agency (or the installation's), audited. A token issued
before the user was disabled stays dead: enabled, they sign in again.
"""

from __future__ import annotations

import json

from case_story import invoke
from jalur.audit import entries
from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import bearer_user, find_user, issue_token, sign_in

PW = "correct horse battery"


def _people(settings: Settings) -> None:
    assert invoke(settings, "users", "add", "root", "--role", "admin").exit_code == 0
    for name, role, agency in (("badm", "admin", "BNPT"), ("padm", "admin", "PPATK"),
                               ("pana", "analyst", "PPATK")):  # fmt: skip
        added = invoke(settings, "users", "add", name, "--role", role, "--agency", agency,
                       user="root")  # fmt: skip
        assert added.exit_code == 0, added.output


def test_an_admin_enables_a_disabled_user_audited(sql_settings: Settings) -> None:
    _people(sql_settings)
    assert invoke(sql_settings, "users", "disable", "pana", user="padm").exit_code == 0
    enabled = invoke(sql_settings, "users", "enable", "pana", "--json", user="padm")
    assert enabled.exit_code == 0, enabled.output
    assert json.loads(enabled.stdout) == {"enabled": "pana"}
    engine = open_database(sql_settings)
    try:
        user = find_user(engine, "pana")
        assert user is not None and not user.disabled
        assert sign_in(engine, "pana", PW).name == "pana"
        with engine.connect() as con:
            done = [(e.user, e.action, e.object) for e in entries(con)
                    if e.action in ("user.disable", "user.enable")]  # fmt: skip
        assert done == [("padm", "user.disable", "user:pana"), ("padm", "user.enable", "user:pana")]
    finally:
        engine.dispose()


def test_enabling_follows_the_rules_of_disabling(sql_settings: Settings) -> None:
    _people(sql_settings)
    assert invoke(sql_settings, "users", "disable", "pana", user="root").exit_code == 0
    other = invoke(sql_settings, "users", "enable", "pana", user="badm")  # BNPT's admin
    assert (other.exit_code, other.output.strip()) == (1, "error: no user pana")  # not theirs
    analyst = invoke(sql_settings, "users", "add", "bana", "--role", "analyst", "--agency",
                     "BNPT", user="badm")  # fmt: skip
    assert analyst.exit_code == 0
    by_analyst = invoke(sql_settings, "users", "enable", "pana", user="bana")
    assert by_analyst.exit_code == 1 and "may not" in by_analyst.output, by_analyst.output
    unknown = invoke(sql_settings, "users", "enable", "nobody", user="root")
    assert unknown.exit_code == 1 and "no user nobody" in unknown.output
    assert invoke(sql_settings, "users", "enable", "pana", user="root").exit_code == 0
    again = invoke(sql_settings, "users", "enable", "pana", user="root")
    assert again.exit_code == 1 and "not disabled" in again.output, again.output
    engine = open_database(sql_settings)
    try:
        with engine.connect() as con:
            enables = [e for e in entries(con) if e.action == "user.enable"]
        assert len(enables) == 1
    finally:
        engine.dispose()


def test_a_token_from_before_the_disable_stays_dead_once_enabled(sql_settings: Settings) -> None:
    _people(sql_settings)
    engine = open_database(sql_settings)
    try:
        now = utcnow()
        before = issue_token(engine, sign_in(engine, "pana", PW), now, 3600)
        assert invoke(sql_settings, "users", "disable", "pana", user="padm").exit_code == 0
        assert invoke(sql_settings, "users", "enable", "pana", user="padm").exit_code == 0
        assert bearer_user(engine, before.secret, now) is None
        fresh = issue_token(engine, sign_in(engine, "pana", PW), now, 3600)
        found = bearer_user(engine, fresh.secret, now)
        assert found is not None and found.name == "pana"
    finally:
        engine.dispose()
