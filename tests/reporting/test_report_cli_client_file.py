"""`report goaml --accounts`: the bank's file on its own accounts makes a client report possible.

A `--client-bank` account needs its branch, opening date, client number, status and a full
customer file on its holder; nothing in the workspace held them, so such a report could only
be refused. The reporting officer's CSV now supplies them; a bad file is a usage error (exit
2) naming line, account and column, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from test_report_cli import _case, _run, _workspace

from jalur.config import Settings

CLIENTS = (
    "account,branch,opened,currency,client_number,status,holder_schema,holder.firstName,"
    "holder.lastName,holder.gender,holder.birthDate,holder.birthPlace,holder.nationality,"
    "holder.country,holder.phone,holder.position,holder.idNumber,address.street,address.city,"
    "address.country,source_of_wealth\n"
    "0812345678,Jakarta Kebayoran,2019-04-01,IDR,CIF-0042,active,Person,Budi,Santoso,male,"
    "1981-05-12,Solo,id,id,+62 812 555 0101,Trader,3201011505800001,Jl. Melati 5,Jakarta,ID,"
    "trading income\n"
)


def test_a_client_account_is_reported_from_the_officers_file(
    sql_settings: Settings, tmp_path: Path, shared_data: Path
) -> None:
    s = sql_settings
    _workspace(s)
    config = s.home / "jalur.toml"  # the bank's own accounts carry its name
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "rentity_id = 4711", 'rentity_id = 4711\nname = "PT Bank Contoh"'
        ),
        encoding="utf-8",
    )
    case_id = _case(s)
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS, encoding="utf-8")
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--client-bank", "BRINIDJA", "--accounts", str(clients),
                      user="ana")  # fmt: skip
    assert code == 0, text
    xsd = shared_data / "goaml" / "goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = etree.parse(str(out))
    assert schema.validate(document), schema.error_log
    account = document.find("transaction/t_from_my_client/from_account")
    assert account is not None and account.findtext("client_number") == "CIF-0042"
    assert account.findtext("signatory/t_person/birth_place") == "Solo"


def test_a_bad_client_file_is_a_usage_error_naming_the_line(
    sql_settings: Settings, tmp_path: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS.replace("2019-04-01", "01/04/2019"), encoding="utf-8")
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--client-bank", "BRINIDJA", "--accounts", str(clients),
                      user="ana")  # fmt: skip
    assert code == 2, text
    assert "line 2 (account '0812345678'): opened '01/04/2019' is not a date (YYYY-MM-DD)" in text
    assert not out.exists()


def test_rows_naming_no_account_of_the_case_are_said_not_dropped(
    sql_settings: Settings, tmp_path: Path
) -> None:
    """A spreadsheet cut the account's leading zeros: the row was unused in silence and the
    refusal only said the account's fields were missing."""
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENTS.replace("\n0812345678,", "\n812345678,"), encoding="utf-8")
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--client-bank", "BRINIDJA", "--accounts", str(clients),
                      user="ana")  # fmt: skip
    assert code == 1
    assert f"--accounts: 1 row(s) name no account of {case_id}, not used: '812345678'" in text
    assert "account '0812345678': branch is missing" in text


def test_a_client_bank_code_no_account_is_held_at_is_warned_of(
    sql_settings: Settings, tmp_path: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out),
                      "--client-bank", "BRINDJA", user="ana")  # fmt: skip
    assert code == 0, text
    assert f"--client-bank BRINDJA: no account of {case_id} is held at that bank" in text
