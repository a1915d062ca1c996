"""`jalur audit export` is the installation's: another agency's auditor is refused, audited.

`jalur audit show` gives another agency's auditor its own agency's entries only (as the
service does), but `audit export` wrote every agency's entries to their file: who opened which
case, screened which name, for every agency sharing the installation. An export cut to one
agency's entries would not verify (its chain has gaps), so it is the default agency's.
"""

from __future__ import annotations

import json
from pathlib import Path

from case_story import invoke
from jalur.config import Settings


def _people(settings: Settings) -> None:
    assert invoke(settings, "users", "add", "root", "--role", "admin").exit_code == 0
    for name, role, agency in (("aud", "auditor", None), ("baud", "auditor", "BNPT")):
        extra = ["--agency", agency] if agency else []
        added = invoke(settings, "users", "add", name, "--role", role, *extra, user="root")
        assert added.exit_code == 0, added.output


def test_another_agencys_auditor_may_not_export_the_whole_trail(
    sql_settings: Settings, tmp_path: Path
) -> None:
    _people(sql_settings)
    out = tmp_path / "trail.jsonl"
    refused = invoke(sql_settings, "audit", "export", "--out", str(out), user="baud")
    assert refused.exit_code == 1, refused.output
    assert "the installation's default agency" in " ".join(refused.output.split())
    assert not out.exists()
    shown = invoke(sql_settings, "audit", "show", "--json", user="root")
    entries = json.loads(shown.stdout)
    assert not any(e["action"] == "audit.export" for e in entries)
    assert any(e["action"] == "access.refused" and e["user"] == "baud"
               and e["details"]["action"] == "export the audit trail" for e in entries)  # fmt: skip
    done = invoke(sql_settings, "audit", "export", "--out", str(out), user="aud")
    assert done.exit_code == 0, done.output
    assert out.exists()
