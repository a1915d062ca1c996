"""The story on the command line: an alert becomes a case, four eyes decide, the trail holds."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from case_story import ok, plant_alert, write_payments
from jalur.cases.report import record_report
from jalur.cli import app
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.store import Store
from jalur.users import sign_in

PW = "correct horse battery"


def _run(settings: Settings, *args: str, user: str = "") -> tuple[int, str]:
    env = {"JALUR_NEW_PASSWORD": PW, "JALUR_PASSWORD": PW, "JALUR_USER": user}
    result = CliRunner().invoke(app, ["--home", str(settings.home), *args], env=env)
    return result.exit_code, result.output


def _record_a_report(settings: Settings, case_id: str) -> None:
    engine = open_database(settings)
    try:
        ana = sign_in(engine, "ana", PW)
        record_report(engine, ana, case_id, "ab" * 32, "report.xml", "ppatk-4.0.2")
    finally:
        engine.dispose()


def test_alert_to_reported_case(sql_settings: Settings) -> None:
    s = sql_settings
    plant_alert(s)
    _run(s, "users", "add", "root", "--role", "admin")
    _run(s, "users", "add", "ana", "--role", "analyst", user="root")
    _run(s, "users", "add", "sam", "--role", "supervisor", user="root")
    code, out = _run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")
    assert code == 0, out
    case_id = json.loads(out)["case_id"]
    code, out = _run(s, "cases", "open", "--alert", "AL-404", user="ana")
    assert code == 1
    assert "no alert AL-404" in out
    # the alert's payment tx-1 is not in the workspace: no transaction report can be made
    code, out = _run(
        s, "cases", "propose", case_id, "--decision", "report", "--report-type", "LTKMT",
        "--reason", "funds reach a listed person", user="ana",
    )  # fmt: skip
    assert code == 1 and "holds no details of payment(s) tx-1" in " ".join(out.split()), out
    code, out = _run(
        s, "cases", "propose", case_id, "--decision", "report", "--report-type", "LAPT",
        "--reason", "funds reach a listed person", user="ana",
    )  # fmt: skip
    assert code == 0, out
    code, out = _run(s, "cases", "approve", case_id, user="ana")
    assert code == 1
    assert "ana proposed this decision; another supervisor must approve it (four eyes)" in " ".join(
        out.split()
    )
    assert _run(s, "cases", "approve", case_id, user="sam")[0] == 0
    code, out = _run(s, "cases", "mark-reported", case_id, "--reference", "R-1", user="ana")
    assert code == 1
    assert "no report was generated" in " ".join(out.split())
    _record_a_report(s, case_id)  # `jalur report goaml` does this (tests/reporting)
    assert _run(s, "cases", "mark-reported", case_id, "--reference", "R-1", user="ana")[0] == 0
    code, out = _run(s, "cases", "show", case_id, "--json", user="sam")
    shown = json.loads(out)
    assert shown["status"] == "reported"
    assert shown["typology"] == "drug-to-terror"
    assert {(e["kind"], e["ref"]) for e in shown["evidence"]} == {
        ("alert", "AL-1"), ("account", "ACC-9"), ("payment", "tx-1"),
    }  # fmt: skip
    alert = next(e for e in shown["evidence"] if e["kind"] == "alert")
    assert alert["snapshot"]["explanation"] == "2 hops from a drug seed to a listed person"
    code, out = _run(s, "cases", "list", "--status", "reported", "--json", user="sam")
    assert [c["case_id"] for c in json.loads(out)] == [case_id]
    code, out = _run(s, "audit", "verify")
    assert code == 0, out


def test_a_case_on_an_account_without_payments_warns_that_only_activity_can_be_reported(
    sql_settings: Settings,
) -> None:
    """`cases open --account` on an account the party file still names but whose payments are
    gone opened the case in silence; it could then be proposed as a transaction report. The
    case opens (an activity report on the holder is legitimate) with a warning naming it."""
    s = sql_settings
    ok(s, "tx", "load", str(write_payments(s.home.parent)), "--format", "csv")
    with Store.open(s) as store:  # the shop's payments purged, its party row kept
        store.execute("DELETE FROM transactions WHERE 'ACC-SHOP' IN (orig_account, bene_account)")
    _run(s, "users", "add", "root", "--role", "admin")
    _run(s, "users", "add", "ana", "--role", "analyst", user="root")
    code, out = _run(s, "cases", "open", "--account", "ACC-SHOP", "--json", user="ana")
    assert code == 0, out
    said = " ".join(out.split())
    assert "warning: account ACC-SHOP has no payment in the workspace" in said
    assert "can be reported as an activity report (LAPT), not as a transaction report" in said
    code, out = _run(s, "cases", "open", "--account", "ACC-MULE", user="ana")
    assert code == 0 and "warning" not in out, out


def test_withdraw_and_approve_the_proposal_read_on_the_command_line(sql_settings: Settings) -> None:
    """`cases withdraw` takes a proposal back; `cases approve --proposed-at` approves only
    the proposal its approver read."""
    s = sql_settings
    plant_alert(s)
    _run(s, "users", "add", "root", "--role", "admin")
    _run(s, "users", "add", "ana", "--role", "analyst", user="root")
    _run(s, "users", "add", "sam", "--role", "supervisor", user="root")
    case_id = json.loads(_run(s, "cases", "open", "--alert", "AL-1", "--json", user="ana")[1])[
        "case_id"
    ]
    propose = ("cases", "propose", case_id, "--decision", "close", "--reason", "nothing")
    assert _run(s, *propose, user="ana")[0] == 0
    code, out = _run(s, "cases", "withdraw", case_id, "--reason", "too early", user="sam")
    assert code == 1 and "only they withdraw it" in " ".join(out.split())
    assert _run(s, "cases", "withdraw", case_id, "--reason", "too early", user="ana")[0] == 0
    assert _run(s, *propose, user="ana")[0] == 0
    shown = json.loads(_run(s, "cases", "show", case_id, "--json", user="sam")[1])
    code, out = _run(s, "cases", "approve", case_id, "--proposed-at", "2000-01-01T00:00:00Z",
                     user="sam")  # fmt: skip
    assert code == 1 and "no longer the one pending" in " ".join(out.split())
    read = shown["decision"]["proposed_at"]
    assert _run(s, "cases", "approve", case_id, "--proposed-at", read, user="sam")[0] == 0
