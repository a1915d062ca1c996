"""`jalur report goaml` on SQLite and PostgreSQL: an approved case becomes a valid PPATK report.

The workspace holds a monitoring alert with two payments (planted in DuckDB as monitoring and
`tx load` leave them); the case is opened, proposed and approved on the command line, then
reported. Refusals (a case not approved, a client without a valid NIK, a missing rate, no
`[reporting]` section) list what is wrong and write no file.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree
from typer.testing import CliRunner

from case_story import REPORTING
from jalur.audit import entries
from jalur.cases import Evidence, case_details, open_case
from jalur.cases.evidence import alert_evidence
from jalur.cli import app
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.store import Store
from jalur.transactions import ensure_tables
from jalur.users import sign_in

PW = "correct horse battery"
NIK = "3201011505800001"


def _run(settings: Settings, *args: str, user: str = "") -> tuple[int, str]:
    env = {"JALUR_NEW_PASSWORD": PW, "JALUR_PASSWORD": PW, "JALUR_USER": user}
    result = CliRunner().invoke(app, ["--home", str(settings.home), *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, " ".join(result.output.split())


def _payment(tx_id: str, day: int, orig: tuple[str, ...], bene: tuple[str, ...], amount: float,
             currency: str = "IDR") -> list[object]:  # fmt: skip
    return [tx_id, datetime(2025, 3, day, 9, 30, tzinfo=UTC), *orig, *bene, amount, currency,
            "wire", "donation"]  # fmt: skip


ORIG = ("0812345678", "BRINIDJA", "Budi Santoso", "ID", "3201")
BENE = ("PH0099887766", "BOPIPHMM", "Umar Patek", "PH", None)


def _workspace(settings: Settings, *, reporting: bool = True, currency: str = "IDR") -> None:
    """An alert about two payments to a listed man abroad, users, and `[reporting]`."""
    with Store.open(settings) as store:
        ensure_tables(store)
        for ddl in (
            "CREATE TABLE alerts (alert_id VARCHAR, run_id VARCHAR, typology VARCHAR, "
            "account VARCHAR, score DOUBLE, explanation VARCHAR, features VARCHAR, facts VARCHAR)",
            "CREATE TABLE alert_accounts (alert_id VARCHAR, account VARCHAR, role VARCHAR)",
            "CREATE TABLE alert_transactions (alert_id VARCHAR, tx_id VARCHAR)",
        ):
            store.execute(ddl)
        store.execute(
            "INSERT INTO alerts VALUES ('AL-1', 'run-1', 'terror_exposure', '0812345678', 0.93, "
            "'all of its money out went on to a terror-listed account', NULL, NULL)"
        )
        store.execute("INSERT INTO alert_accounts VALUES ('AL-1', '0812345678', 'subject')")
        columns = (
            "tx_id, timestamp, orig_account, orig_bank, orig_name, orig_country, "
            "orig_identifier, bene_account, bene_bank, bene_name, bene_country, "
            "bene_identifier, amount, currency, channel, purpose"
        )
        for row in (
            _payment("tx-1", 3, ORIG, BENE, 50_000_000.0, currency),
            _payment("tx-2", 9, ORIG, BENE, 20_000_000.0),
        ):
            store.execute(f"INSERT INTO transactions ({columns}) VALUES ({', '.join('?' * 16)})",
                          row)  # fmt: skip
            store.execute("INSERT INTO alert_transactions VALUES ('AL-1', ?)", [row[0]])
    if reporting:
        config = settings.home / "jalur.toml"
        before = config.read_text(encoding="utf-8") if config.exists() else ""
        config.write_text(before + REPORTING, encoding="utf-8")
    _run(settings, "users", "add", "root", "--role", "admin")
    _run(settings, "users", "add", "ana", "--role", "analyst", user="root")
    _run(settings, "users", "add", "sam", "--role", "supervisor", user="root")


def _case(settings: Settings, *, approve: bool = True, report_type: str = "LTKMT") -> str:
    code, out = _run(settings, "cases", "open", "--alert", "AL-1", "--json", user="ana")
    assert code == 0, out
    case_id = str(json.loads(out)["case_id"])
    _propose_and_approve(settings, case_id, approve=approve, report_type=report_type)
    return case_id


def _propose_and_approve(
    settings: Settings, case_id: str, *, approve: bool = True, report_type: str = "LTKMT"
) -> None:
    code, out = _run(
        settings, "cases", "propose", case_id, "--decision", "report", "--report-type",
        report_type, "--reason", "donations reach a terror-listed man abroad", user="ana",
    )  # fmt: skip
    assert code == 0, out
    if approve:
        code, out = _run(settings, "cases", "approve", case_id, user="sam")
        assert code == 0, out


def _audit(settings: Settings, case_id: str) -> list[tuple[str, dict[str, object]]]:
    engine = open_database(settings)
    try:
        with engine.connect() as con:
            return [(e.action, e.details) for e in entries(con, case_id)]
    finally:
        engine.dispose()


def _details(settings: Settings, case_id: str) -> dict[str, object]:
    engine = open_database(settings)
    try:
        found = case_details(engine, case_id)
    finally:
        engine.dispose()
    assert found is not None
    return found


def test_an_approved_ltkmt_case_becomes_a_valid_ppatk_report(
    sql_settings: Settings, tmp_path: Path, shared_data: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), "--json",
                      user="ana")  # fmt: skip
    assert code == 0, text
    data = out.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert json.loads(text)["sha256"] == digest
    xsd = shared_data / "goaml" / "goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    assert document.findtext("report_code") == "LTKMT"
    assert document.findtext("entity_reference") == case_id
    assert document.findtext("rentity_id") == "4711"
    assert sorted(t.findtext("transactionnumber") for t in document.iter("transaction")) == [
        "tx-1", "tx-2",
    ]  # fmt: skip
    # the payments name the banks by BIC only: that is their swift, not their name
    assert {e.text for e in document.iter("swift")} == {"BRINIDJA", "BOPIPHMM"}
    assert not list(document.iter("institution_name"))
    assert "terror-listed account" in (document.findtext("reason") or "")
    decision = _details(s, case_id)["decision"]
    assert isinstance(decision, dict)
    assert decision["report_sha256"] == digest
    generated = [d for a, d in _audit(s, case_id) if a == "report-generated"]
    assert generated == [{"sha256": digest, "file": str(out), "profile": "ppatk-4.0.2",
                          "report_type": "LTKMT"}]  # fmt: skip
    assert _run(s, "audit", "verify")[0] == 0
    code, text = _run(s, "cases", "mark-reported", case_id, "--reference", "PPATK-1", user="ana")
    assert code == 0, text
    assert _details(s, case_id)["status"] == "reported"


def test_a_case_not_approved_is_refused_and_nothing_written(
    sql_settings: Settings, tmp_path: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s, approve=False)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="ana")
    assert code == 1
    assert f"{case_id} cannot be reported: it must be approved with the decision report" in text
    assert "(it is proposed, decision report)" in text
    assert not out.exists()
    assert _details(s, case_id)["decision"]["report_sha256"] is None  # type: ignore[index]
    assert [a for a, _ in _audit(s, case_id)][-1] == "report-refused"
    code, text = _run(s, "cases", "mark-reported", case_id, "--reference", "R", user="ana")
    assert code == 1


def test_an_indonesian_client_without_a_valid_nik_gets_the_field_list(
    sql_settings: Settings, tmp_path: Path
) -> None:
    """The sender's account is at our bank (--client-bank): goAML wants our client's file."""
    s = sql_settings
    _workspace(s)
    client = {"entity": {"id": "cust-1", "schema": "Person", "properties": {
        "name": ["Budi Santoso"], "nationality": ["id"], "idNumber": ["3201"],
    }}}  # fmt: skip
    engine = open_database(s)
    try:
        ana = sign_in(engine, "ana", PW)
        with Store.open(s) as store:
            evidence = [*alert_evidence(store, "AL-1"), Evidence("subject", "cust-1", client)]
        case_id = open_case(engine, ana, "client case", evidence, "terror_exposure")
    finally:
        engine.dispose()
    _propose_and_approve(s, case_id)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--client-bank", "BRINIDJAXXX", user="ana")  # fmt: skip
    assert code == 1
    assert "no file was written" in text
    assert "subject 'Budi Santoso': ssn '3201' is not 16 digits (NIK)" in text
    for missing in ("birthdate", "birth_place", "source_of_wealth", "client_number", "opened"):
        assert f"{missing} is missing" in text
    assert not out.exists()
    refused = [d for a, d in _audit(s, case_id) if a == "report-refused"]
    assert any("ssn '3201'" in p for p in refused[0]["problems"])  # type: ignore[attr-defined]


def test_a_foreign_currency_payment_needs_a_rate(sql_settings: Settings, tmp_path: Path) -> None:
    s = sql_settings
    _workspace(s, currency="USD")
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="ana")
    assert code == 1
    assert "payment tx-1: amount is in USD; no exchange rate to IDR given" in text
    assert "--rate CUR=RATE" in text
    assert not out.exists()
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--rate", "USD=16250.5", user="ana")  # fmt: skip
    assert code == 0, text
    assert b"<foreign_exchange_rate>16250.5</foreign_exchange_rate>" in out.read_bytes()


def test_a_rate_for_the_fius_own_currency_is_a_usage_error(
    sql_settings: Settings, tmp_path: Path
) -> None:
    """`--rate IDR=2` was taken and ignored: the report went out with IDR amounts as paid, and
    the officer believed a conversion had been made. It is refused before anything is built."""
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--rate", "idr=2", user="ana")  # fmt: skip
    assert code == 2, text
    assert "--rate idr=2: IDR is the FIU's own currency (ppatk-4.0.2)" in text
    assert not out.exists()


def test_without_a_reporting_section_the_missing_keys_are_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    s = Settings.resolve(home)
    _workspace(s, reporting=False)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="ana")
    assert code == 1
    assert "has no [reporting] section" in text
    assert "rentity_id (the FIU's number for this reporting entity) is missing" in text
    assert "[reporting.person] is missing" in text
    assert not out.exists()


def test_only_a_signed_in_case_worker_reports(sql_settings: Settings, tmp_path: Path) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="root")
    assert code == 1
    assert "the role admin may not work cases" in text
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out))
    assert code == 1
    assert "not signed in" in text
    assert not out.exists()


def test_one_problem_is_counted_in_the_singular() -> None:
    """A refused report said "(1 problems; no file was written)"."""
    from jalur.reporting import load_profile
    from jalur.reporting_cli import _refusal

    profile = load_profile("ppatk-4.0.2")
    assert "(1 problem; no file was written)" in _refusal("CASE-1", profile, ("a",))
    assert "(2 problems; no file was written)" in _refusal("CASE-1", profile, ("a", "b"))
