"""`jalur users list` and `jalur users key list` are an admin's, and show the agencies they manage.

Before, both needed no sign-in at all: anyone with a shell on the shared installation read every
agency's staff (names, roles, agencies) and every agency's API keys. Now listing takes the right
that changing users takes (an admin), refusals are audited, an agency's admin sees only their
agency's users and keys, and the installation's own admins see every agency's (they add the
first users of every agency).
"""

from __future__ import annotations

import json

from case_story import invoke
from jalur.config import Settings


def _people(settings: Settings) -> None:
    assert invoke(settings, "users", "add", "root", "--role", "admin").exit_code == 0
    staff = (("badm", "admin", "BNPT"), ("bana", "analyst", "BNPT"),
             ("padm", "admin", "PPATK"), ("pana", "analyst", "PPATK"))  # fmt: skip
    for name, role, agency in staff:
        added = invoke(settings, "users", "add", name, "--role", role, "--agency", agency,
                       user="root")  # fmt: skip
        assert added.exit_code == 0, added.output
    for admin, label in (("badm", "bnpt bank"), ("padm", "ppatk bank")):
        made = invoke(settings, "users", "key", "create", label, user=admin)
        assert made.exit_code == 0, made.output


def _listed(settings: Settings, user: str, *args: str) -> list[dict[str, object]]:
    shown = invoke(settings, "users", *args, "--json", user=user)
    assert shown.exit_code == 0, shown.output
    return list(json.loads(shown.stdout))


def test_listing_users_and_keys_needs_an_admin(sql_settings: Settings) -> None:
    _people(sql_settings)
    for args in (("list",), ("key", "list")):
        for user in ("", "bana"):
            refused = invoke(sql_settings, "users", *args, "--json", user=user)
            assert refused.exit_code == 1, (args, user, refused.output)
            assert "refused" in refused.output and "pana" not in refused.output
            assert "ppatk bank" not in refused.output
    shown = invoke(sql_settings, "audit", "show", "--json", user="root")
    refusals = [e["details"]["action"] for e in json.loads(shown.stdout)
                if e["action"] == "access.refused"]  # fmt: skip
    assert sorted(refusals) == ["list API keys"] * 2 + ["list users"] * 2


def test_an_agencys_admin_lists_only_its_own_users_and_keys(sql_settings: Settings) -> None:
    _people(sql_settings)
    assert {u["name"] for u in _listed(sql_settings, "badm", "list")} == {"badm", "bana"}
    assert {k["label"] for k in _listed(sql_settings, "badm", "key", "list")} == {"bnpt bank"}
    assert {u["name"] for u in _listed(sql_settings, "padm", "list")} == {"padm", "pana"}
    everyone = {u["name"] for u in _listed(sql_settings, "root", "list")}
    assert everyone == {"root", "badm", "bana", "padm", "pana"}
    every_key = {k["label"] for k in _listed(sql_settings, "root", "key", "list")}
    assert every_key == {"bnpt bank", "ppatk bank"}
