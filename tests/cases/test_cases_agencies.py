"""A case of one agency is not reached by another agency's users on the command line either.

The service keeps a case to its agency (`api.access`); the command line signs in users of every
agency on the same store. Before, a BNN supervisor signed in on the command line showed, listed,
approved and reported the default agency's case.
"""

from __future__ import annotations

import json
from pathlib import Path

from case_story import REPORTING, plant_alert
from case_story import run as _run
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import share

PW = "correct horse battery"


def _users(s: Settings) -> None:
    _run(s, "users", "add", "root", "--role", "admin")
    people = [("ana", "analyst", "DEFAULT"), ("sam", "supervisor", "DEFAULT"),
              ("bob", "analyst", "BNN"), ("bud", "supervisor", "BNN")]  # fmt: skip
    for name, role, agency in people:
        assert (
            _run(s, "users", "add", name, "--role", role, "--agency", agency, user="root")[0] == 0
        )


def test_another_agencys_users_neither_see_nor_work_a_case(sql_settings: Settings) -> None:
    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    config = Path(s.home) / "jalur.toml"
    before = config.read_text(encoding="utf-8") if config.exists() else ""
    config.write_text(before + REPORTING, encoding="utf-8")
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    # the alert's payments are not planted: an activity report (a transaction report is refused)
    propose = ("cases", "propose", case_id, "--decision", "report", "--report-type", "LAPT",
               "--reason", "funds reach a listed person")  # fmt: skip
    assert _run(s, *propose, user="ana")[0] == 0
    report = ("report", "goaml", "--case", case_id, "--out", str(Path(s.home) / "r.xml"))
    for args in (("cases", "show", case_id), ("cases", "approve", case_id),
                 ("cases", "comment", case_id, "seen"), report):  # fmt: skip
        code, out = _run(s, *args, user="bud")
        assert (code, f"no case {case_id}") == (1, out.removeprefix("error: ")[:26]), args
    assert case_id not in _run(s, "cases", "list", user="bud")[1]
    assert case_id in _run(s, "cases", "list", user="sam")[1]
    code, out = _run(s, "cases", "open", "--alert", "AL-1", user="bob")
    assert code == 1
    assert "bob works for agency BNN" in out

    engine = open_database(s)  # shared to read: BNN sees it, does not work it
    try:
        share(engine, "case", case_id, "BNN", "root", None)
    finally:
        engine.dispose()
    assert _run(s, "cases", "show", case_id, user="bud")[0] == 0
    code, out = _run(s, "cases", "approve", case_id, user="bud")
    assert code == 1
    assert f"case {case_id} is shared with agency BNN to read; only agency DEFAULT works it" in out
    assert _run(s, "cases", "approve", case_id, user="sam")[0] == 0


def test_attaching_what_the_case_holds_says_so(sql_settings: Settings) -> None:
    """`cases open --attach-to` printed every item gathered as added ("1 evidence item(s)")
    when the case held it already and nothing was added."""
    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    code, out = _run(s, "cases", "open", "--alert", "AL-1", "--attach-to", case_id, user="ana")
    assert (code, out) == (0, f"{case_id}: 0 evidence item(s) added, 1 already in the case")
    code, out = _run(s, "cases", "open", "--alert", "AL-1", "--attach-to", case_id, "--json",
                     user="ana")  # fmt: skip
    assert json.loads(out) == {"case_id": case_id, "added": 0, "already": 1}


def test_propose_checks_the_report_type_on_the_command_line(sql_settings: Settings) -> None:
    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    propose = ("cases", "propose", case_id, "--decision", "report", "--reason", "why")
    code, out = _run(s, *propose, "--report-type", "FOO<b>", user="ana")
    assert (code, out) == (
        1, "error: report type 'FOO<b>' is not one of LTKM, LTKMT, LAPT (the FIU profile's "
        "report codes)",
    )  # fmt: skip
    assert _run(s, *propose, "--report-type", "LAPT", user="ana")[0] == 0


def test_a_case_is_not_assigned_to_another_agencys_user(sql_settings: Settings) -> None:
    """The service refused it (400); the command line gave the default agency's case to a BNN
    analyst, who then learnt of a case they may not open."""
    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    code, out = _run(s, "cases", "assign", case_id, "bob", user="ana")
    assert (code, out) == (1, f"error: bob is not of agency DEFAULT, which works {case_id}")
    assert _run(s, "cases", "assign", case_id, "sam", user="ana")[0] == 0


def test_another_agencys_supervisor_reads_only_its_own_part_of_the_trail(
    sql_settings: Settings,
) -> None:
    """`audit show` on the command line gave a BNN supervisor every entry of the workspace,
    the default agency's proposal reasons among them; the service shows an agency the entries
    of its own users only, and so does the command line now to another agency's users."""
    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    _run(s, "cases", "comment", case_id, "the informant says Rusdan", user="ana")
    assert "the informant says Rusdan" in _run(s, "audit", "show", "--json", user="sam")[1]
    assert _run(s, "audit", "show", user="bud")[0] == 0  # recorded: bud's own entry
    code, out = _run(s, "audit", "show", "--json", user="bud")
    assert code == 0
    shown = json.loads(out)
    assert shown and {e["user"] for e in shown} <= {"bud", "bob"}
    assert json.loads(_run(s, "audit", "show", "--object", case_id, "--json", user="bud")[1]) == []


def test_attaching_a_fifo_names_what_it_is(sql_settings: Settings, tmp_path: Path) -> None:
    """A FIFO given to `cases attach` read as 'no such file'; it is named for what it is."""
    import os

    s = sql_settings
    plant_alert(s, parts=False)
    _users(s)
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    fifo = tmp_path / "evidence.pdf"
    os.mkfifo(fifo)
    code, out = _run(s, "cases", "attach", case_id, str(fifo), user="ana")
    assert code == 1 and "FIFO" in out, out
