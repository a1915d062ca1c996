"""An API key never holds the admin role.

A key is a machine's: nobody signs in with it, `users disable` does not reach it, and it never
expires unless asked to. An admin key made keys and users of its agency, so an admin who was
disabled (left the agency) kept managing it through the keys they had made. A key with the
admin role is refused, on the command line and over the API; every other role is still made.
"""

from __future__ import annotations

import json

import pytest

from case_story import invoke
from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import UserError, create_api_key, find_user


def test_an_api_key_with_the_admin_role_is_refused(sql_settings: Settings) -> None:
    assert invoke(sql_settings, "users", "add", "root", "--role", "admin").exit_code == 0
    refused = invoke(sql_settings, "users", "key", "create", "spare admin", "--role", "admin",
                     user="root")  # fmt: skip
    assert refused.exit_code == 1, refused.output
    assert "admin" in refused.output and "no key was created" in refused.output
    listed = invoke(sql_settings, "users", "key", "list", "--json", user="root")
    assert json.loads(listed.stdout) == []
    made = invoke(sql_settings, "users", "key", "create", "bank", "--role", "client", user="root")
    assert made.exit_code == 0, made.output
    engine = open_database(sql_settings)
    try:
        root = find_user(engine, "root")
        assert root is not None
        with pytest.raises(UserError, match="admin"):
            create_api_key(engine, root, "over the api", utcnow(), role="admin")
    finally:
        engine.dispose()
