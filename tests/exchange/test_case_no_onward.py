"""`jalur exchange export --case` of a case marked `EGMONT` or `NO-ONWARD` needs `--consent`,
as `POST /v1/exchange/packages` with a `case` does (403 without one): the command line sent
such a case's subjects and payments with no consent recorded. The consent is recorded in the
manifest and the export's log entry."""

from __future__ import annotations

import json
from pathlib import Path

from test_export_case import _case, _export, agencies  # noqa: F401  (the fixture)

from case_story import ok, run
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import Marking, default_agency, tighten


def _no_onward(settings: Settings, case_id: str) -> None:
    """The case as the service marks one whose evidence carries NO-ONWARD."""
    engine = open_database(settings)
    with engine.begin() as con:
        tighten(con, "case", case_id, Marking(default_agency(con), "RESTRICTED", ("NO-ONWARD",)),
                "test")  # fmt: skip
    engine.dispose()


def test_a_no_onward_case_leaves_only_with_consent(
    agencies: tuple[Settings, Settings],  # noqa: F811
    tmp_path: Path,
) -> None:
    ppatk, _ = agencies
    case_id = _case(ppatk)
    _no_onward(ppatk, case_id)
    ok(ppatk, "users", "add", "nia", "--role", "analyst", "--caveat", "NO-ONWARD", user="root")
    package = tmp_path / "case.pkg"
    code, out = _export(ppatk, case_id, package, "nia")
    assert code == 1 and f"case {case_id} carries NO-ONWARD" in " ".join(out.split())
    assert not package.exists()
    code, out = _export_with(ppatk, case_id, package, "BNPT letter 4/2026")
    assert code == 0, out
    assert json.loads(out)["consent"] == "BNPT letter 4/2026"


def _export_with(settings: Settings, case_id: str, out: Path, consent: str) -> tuple[int, str]:
    return run(settings, "exchange", "export", "--to", "rosfinmonitoring", "--case", case_id,
               "--purpose", "CTF analysis", "--consent", consent, "--out", str(out), "--json",
               user="nia")  # fmt: skip
