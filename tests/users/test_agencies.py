"""Agencies, clearances and API keys on the command line; users from before agencies get the
installation's default agency when the store is migrated."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import insert, select

from case_story import invoke
from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import database_url, make_engine, open_database
from jalur.sqlstore.migrate import alembic_config
from jalur.sqlstore.schema import users
from jalur.users import bearer_user, list_users


def test_users_add_with_agency_clearance_and_caveats(sql_settings: Settings) -> None:
    assert invoke(sql_settings, "users", "add", "root", "--role", "admin").exit_code == 0
    added = invoke(sql_settings, "users", "add", "bob", "--role", "analyst", "--agency", "bnn",
                   "--clearance", "confidential", "--caveat", "egmont", user="root")  # fmt: skip
    assert added.exit_code == 0, added.output
    bad = invoke(sql_settings, "users", "add", "cy", "--role", "analyst", "--clearance", "TOPMOST",
                 user="root")  # fmt: skip
    assert bad.exit_code == 1 and "unknown classification" in bad.output
    engine = open_database(sql_settings)
    try:
        found = {u.name: u for u in list_users(engine)}
        assert (found["bob"].agency, found["bob"].clearance, found["bob"].caveats) == (
            "BNN", "CONFIDENTIAL", ("EGMONT",))  # fmt: skip
        assert found["root"].agency == "DEFAULT" and "cy" not in found
    finally:
        engine.dispose()


def test_api_keys_on_the_command_line(sql_settings: Settings) -> None:
    assert invoke(sql_settings, "users", "add", "root", "--role", "admin").exit_code == 0
    made = invoke(sql_settings, "users", "key", "create", "bank x", "--agency", "BANKX",
                  user="root")  # fmt: skip
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    engine = open_database(sql_settings)
    try:
        user = bearer_user(engine, secret, utcnow())
        assert user is not None and (user.role, user.agency) == ("client", "BANKX")
        listed = invoke(sql_settings, "users", "key", "list", "--json", user="root")
        keys = json.loads(listed.stdout)
        assert secret not in json.dumps(keys)
        revoked = invoke(sql_settings, "users", "key", "revoke", keys[0]["id"], user="root")
        assert revoked.exit_code == 0, revoked.output
        assert bearer_user(engine, secret, utcnow()) is None
    finally:
        engine.dispose()
    refused = invoke(sql_settings, "users", "key", "create", "x", user="")
    assert refused.exit_code == 1 and "not signed in" in refused.output


def test_users_from_before_agencies_get_the_default_agency(sql_settings: Settings) -> None:
    sql_settings.ensure_home()
    engine = make_engine(database_url(sql_settings))
    try:
        with engine.begin() as con:
            config = alembic_config()
            config.attributes["connection"] = con
            command.upgrade(config, "0001")
            con.execute(insert(users).values(
                name="old", role="analyst", agency=None, password_hash="x", disabled=False,
                created_at="2026-01-01T00:00:00Z"))  # fmt: skip
    finally:
        engine.dispose()
    engine = open_database(sql_settings)  # migrates to the newest schema
    try:
        with engine.connect() as con:
            assert con.execute(select(users.c.agency)).scalar_one() == "DEFAULT"
    finally:
        engine.dispose()
