"""An agency's admin learns nothing of another agency's users or keys by naming them.

`users list` shows an agency's admin their own agency only; but `users disable NAME` (and
`enable`, `key revoke ID`) answered a user of another agency with "an admin of agency BNPT
manages agency BNPT's users only, not agency PPATK's", and a missing one with "no user NAME":
trying names told who works for which agency. Both are now answered alike, as a missing one;
the refusal is still on the audit trail.
"""

from __future__ import annotations

import json

from case_story import invoke
from jalur.config import Settings


def _people(settings: Settings) -> None:
    assert invoke(settings, "users", "add", "root", "--role", "admin").exit_code == 0
    for name, role, agency in (("badm", "admin", "BNPT"), ("padm", "admin", "PPATK"),
                               ("pana", "analyst", "PPATK")):  # fmt: skip
        added = invoke(settings, "users", "add", name, "--role", role, "--agency", agency,
                       user="root")  # fmt: skip
        assert added.exit_code == 0, added.output


def _told(settings: Settings, *args: str) -> tuple[int, str]:
    done = invoke(settings, *args, user="badm")
    return done.exit_code, done.output.replace(args[-1], "NAME")


def test_another_agencys_user_is_answered_as_a_missing_one(sql_settings: Settings) -> None:
    _people(sql_settings)
    for verb in ("disable", "enable"):
        theirs = _told(sql_settings, "users", verb, "pana")
        assert theirs == _told(sql_settings, "users", verb, "nobody"), verb
        assert theirs[0] == 1 and "PPATK" not in theirs[1]
    made = invoke(sql_settings, "users", "key", "create", "ppatk bank", user="padm")
    assert made.exit_code == 0, made.output
    listed = invoke(sql_settings, "users", "key", "list", "--json", user="padm").stdout
    key_id = json.loads(listed)[0]["id"]
    theirs = _told(sql_settings, "users", "key", "revoke", key_id)
    assert theirs == _told(sql_settings, "users", "key", "revoke", "0123456789abcdef")
    assert theirs[0] == 1 and "PPATK" not in theirs[1]
    shown = invoke(sql_settings, "audit", "show", "--json", user="root")
    refused = [e["details"]["action"] for e in json.loads(shown.stdout)
               if e["action"] == "access.refused" and e["user"] == "badm"]  # fmt: skip
    assert sorted(refused) == sorted(
        ["disable user pana", "enable user pana", f"revoke API key {key_id}"])  # fmt: skip
