"""The bank's own accounts get their customer file from the reporting officer (`--accounts`).

goAML asks a client account's branch, opening date, client number, status and a holder known
as a person or an organisation with the full customer file. Payments carry none of it and the
workspace held no source for it, so every `--client-bank` report was refused with no way to
give the fields. A CSV extract of the bank's file now supplies them; a bad row or column is
refused naming the line, the account and the column; nothing is made up where it is silent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from jalur.cases import (
    CaseError,
    ReportOptions,
    read_client_file,
    report_input,
    unmatched_client_banks,
)
from jalur.reporting import ReportingSettings, ReportInvalidError, build_report

REPORTER = ReportingSettings.from_section(
    {"rentity_id": 4711, "name": "PT Bank Contoh", "branch": "Jakarta Head Office",
     "person": {"first_name": "Siti", "last_name": "Rahma", "email": "mlro@bank.co.id"}}
)  # fmt: skip
HEADER = (
    "account,branch,opened,currency,client_number,status,holder_schema,holder.firstName,"
    "holder.lastName,holder.gender,holder.birthDate,holder.birthPlace,holder.nationality,"
    "holder.country,holder.phone,holder.position,holder.idNumber,address.street,address.city,"
    "address.country,source_of_wealth\n"
)
JOKO = (
    "0080678603,Jakarta Kebayoran,2019-04-01,IDR,CIF-0042,active,Person,Joko,BASHIR,male,"
    "1981-05-12,Solo,id,id,+62 812 555 0101,Trader,3372051205810003,Jl. Melati 5,Jakarta,ID,"
    "trading income\n"
)


def _case() -> dict[str, Any]:
    wire = {"tx_id": "t1", "timestamp": "2026-03-02T08:30:00+00:00", "amount": 25_000_000.0,
            "currency": "IDR", "channel": "wire",
            "orig_account": "0080579002", "orig_bank": "BSMDIDJA", "orig_name": "MMI",
            "orig_country": "ID",
            "bene_account": "0080678603", "bene_bank": "BMRIIDJA", "bene_name": "Joko BASHIR",
            "bene_country": "ID"}  # fmt: skip
    evidence = [{"kind": "payment", "ref": "t1", "removed_at": None, "snapshot": wire}]
    decision = {"decision": "report", "report_type": "LTKMT", "proposal_reason": "listed",
                "proposed_by": "ana", "approved_by": "sam"}  # fmt: skip
    return {"case_id": "CASE-1", "status": "approved", "decision": decision, "evidence": evidence}


def _report(tmp_path: Path, rows: str) -> bytes:
    file = tmp_path / "clients.csv"
    file.write_text(HEADER + rows, encoding="utf-8")
    options = ReportOptions(client_banks=("BMRIIDJA",), client_accounts=read_client_file(file))
    case, problems = report_input(_case(), REPORTER, options, datetime.now(UTC))
    assert problems == []
    return build_report(case, "ppatk-4.0.2")


def test_without_the_file_the_client_account_is_refused_for_its_customer_file() -> None:
    options = ReportOptions(client_banks=("BMRIIDJA",))
    case, _ = report_input(_case(), REPORTER, options, datetime.now(UTC))
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, "ppatk-4.0.2")
    assert any("account '0080678603': branch is missing" in p for p in refused.value.problems)


def test_the_client_file_fills_the_account_and_its_holder(tmp_path: Path) -> None:
    document = etree.fromstring(_report(tmp_path, JOKO))  # valid against PPATK's XSD
    account = document.find("transaction/t_to_my_client/to_account")
    assert account is not None
    assert account.findtext("branch") == "Jakarta Kebayoran"
    assert account.findtext("client_number") == "CIF-0042"
    assert account.findtext("opened") == "2019-04-01T00:00:00"
    assert account.findtext("personal_account_type") == "TPE"
    person = account.find("signatory/t_person")
    assert person is not None and person.findtext("birthdate") == "1981-05-12T00:00:00"
    assert person.findtext("ssn") == "3372051205810003"  # the bank's own file leads
    assert person.findtext("addresses/address/city") == "Jakarta"
    assert person.findtext("source_of_wealth") == "trading income"


def test_a_silent_file_leaves_the_field_missing_and_named(tmp_path: Path) -> None:
    file = tmp_path / "clients.csv"
    file.write_text("account,branch\n0080678603,Jakarta Kebayoran\n", encoding="utf-8")
    options = ReportOptions(client_banks=("BMRIIDJA",), client_accounts=read_client_file(file))
    case, _ = report_input(_case(), REPORTER, options, datetime.now(UTC))
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, "ppatk-4.0.2")
    assert not any("branch is missing" in p for p in refused.value.problems)
    assert any("account '0080678603': opened is missing" in p for p in refused.value.problems)


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ("0080678603,Jkt,2019-13-01,IDR,C,active,Person" + "," * 14 + "\n",
         "line 2 (account '0080678603'): opened '2019-13-01' is not a date"),
        ("0080678603,Jkt,2019-01-01,IDR,C,active,Robot" + "," * 14 + "\n",
         "holder_schema 'Robot' is none of Person, Company, Organization"),
        ("0080678603,Jkt,2019-01-01,IDR,C,active,Person,Joko,B,male,1981-02-30" + "," * 10 + "\n",
         "holder.birthDate '1981-02-30' is not a valid date"),
        (JOKO + JOKO, "line 3 (account '0080678603'): the account is in the file twice"),
        ("," * 20 + "\n", "line 2: account is empty"),
    ],
)  # fmt: skip
def test_a_bad_row_is_refused_naming_line_account_and_column(
    tmp_path: Path, rows: str, said: str
) -> None:
    file = tmp_path / "clients.csv"
    file.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(CaseError, match=r"client account file is refused") as refused:
        read_client_file(file)
    assert said in str(refused.value)


def test_an_unknown_column_is_refused_not_ignored(tmp_path: Path) -> None:
    file = tmp_path / "clients.csv"
    file.write_text("account,brnach\n0080678603,Jakarta\n", encoding="utf-8")
    with pytest.raises(CaseError, match="unknown column"):
        read_client_file(file)


def test_a_holder_property_the_schema_lacks_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "clients.csv"
    file.write_text("account,holder_schema,holder.birthDate\n1,Company,1990-01-01\n")
    with pytest.raises(CaseError, match=r"holder\.birthDate: a Company has no such property"):
        read_client_file(file)


def test_the_file_read_back_keeps_dates_as_dates(tmp_path: Path) -> None:
    file = tmp_path / "clients.csv"
    file.write_text(HEADER + JOKO, encoding="utf-8")
    record = read_client_file(file)["0080678603"]
    assert record.fields["opened"] == date(2019, 4, 1)
    assert record.holder_schema == "Person"


def test_a_holder_the_payments_do_not_name_is_not_made_up(tmp_path: Path) -> None:
    case = _case()
    case["evidence"][0]["snapshot"]["bene_name"] = None
    file = tmp_path / "clients.csv"
    file.write_text(HEADER + JOKO, encoding="utf-8")
    options = ReportOptions(client_banks=("BMRIIDJA",), client_accounts=read_client_file(file))
    _, problems = report_input(case, REPORTER, options, datetime.now(UTC))
    assert problems == [
        "account '0080678603': the client account file describes its holder, and the payments "
        "name none: the holder cannot be told from the account alone"
    ]


def test_a_spreadsheet_saved_with_semicolons_and_a_bom_is_read(tmp_path: Path) -> None:
    """Excel in an Indonesian locale saves `;`-separated CSV with a byte order mark."""
    file = tmp_path / "clients.csv"
    text = "account;branch;opened;holder_schema;holder.phone\n"
    text += '0080678603;Jakarta;2019-04-01;Person;"+62 812 555 0101;+62 21 555 0102"\n'
    file.write_text(text, encoding="utf-8-sig")
    record = read_client_file(file)["0080678603"]
    assert record.fields == {"branch": "Jakarta", "opened": date(2019, 4, 1)}
    assert record.holder == {"phone": ("+62 812 555 0101", "+62 21 555 0102")}


def test_a_client_bank_no_account_is_held_at_is_named() -> None:
    """`--client-bank BRINDJA` (a typo) matched nothing: the bank's own customers went out
    as other banks' customers, and nothing said so."""
    case, _ = report_input(_case(), REPORTER, ReportOptions(), datetime.now(UTC))
    assert unmatched_client_banks(case, ("BRINDJA", "bmriidjaxxx", "BSMDIDJA")) == ["BRINDJA"]
