"""`jalur tx …` and `jalur generate`, column mappings, AMLSim's current layout, FtM parties."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_NOTHING_ACCEPTED
from jalur.store import Store
from jalur.transactions import party_entities, payment_entities

from .conftest import rows

runner = CliRunner()


def _jalur(home: Path, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_generate_then_load_json_counts_and_reload(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    _jalur(
        tmp_path / "ws",
        "generate",
        "--transactions",
        "5000",
        "--seed",
        "2",
        "--out",
        str(out),
        "--no-lists",
    )
    assert {p.name for p in out.iterdir()} >= {
        "transactions.parquet",
        "accounts.parquet",
        "patterns.parquet",
        "drug_investigation_accounts.csv",
    }
    args = ("tx", "load", str(out / "transactions.parquet"), "--format", "parquet", "--json")
    assert json.loads(_jalur(tmp_path / "ws", *args)) == {
        "read": 5000,
        "accepted": 5000,
        "rejected": 0,
        "duplicates": 0,
    }
    assert json.loads(_jalur(tmp_path / "ws", *args))["duplicates"] == 5000
    shown = json.loads(_jalur(tmp_path / "ws", "tx", "show", "--json"))
    assert shown["payments"] == 5000 and shown["parties"] > 0
    loads = json.loads(_jalur(tmp_path / "ws", "tx", "loads", "--json"))
    assert [entry["status"] for entry in loads] == ["complete", "complete"]


def test_cli_reports_a_bad_file_and_lists_quarantine(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n")
    result = runner.invoke(
        app, ["--home", str(tmp_path), "tx", "load", str(bad), "--format", "ibm"]
    )
    assert result.exit_code == 1 and "not an IBM AMLworld header" in result.output
    mt = tmp_path / "m.fin"
    mt.write_text(
        "{1:F01BANKIDJAXXXX0000000000}{4:\r\n:20:R\r\n:32A:211340IDR5,\r\n"
        ":50K:/1\r\nA\r\n:59:/2\r\nB\r\n-}"
    )
    loaded = runner.invoke(
        app, ["--home", str(tmp_path), "tx", "load", str(mt), "--format", "mt103", "--json"]
    )
    assert loaded.exit_code == EXIT_NOTHING_ACCEPTED, loaded.output  # its only record is bad
    counts = json.loads(loaded.output)
    assert counts == {"read": 1, "accepted": 0, "rejected": 1, "duplicates": 0}
    (entry,) = json.loads(_jalur(tmp_path, "tx", "quarantine", "--json"))
    assert entry["source_position"] == "message 1 (line 1)"
    assert entry["reason"].startswith("bad timestamp")


def test_csv_with_mapping_file(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "bank.csv"
    data.write_text(
        "Ref;Tanggal;Dari;Ke;Nama Penerima;Jumlah\n"
        "T1;01/02/2024 09:15;1234567890;0987654321;Siti Rahmawati;1.500.000,50\n"
        "T2;31/02/2024 09:15;1234567890;0987654321;Budi;100\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(
        "columns:\n  tx_id: Ref\n  timestamp: Tanggal\n  orig_account: Dari\n"
        "  bene_account: Ke\n  bene_name: Nama Penerima\n  amount: Jumlah\n"
        "constants:\n  currency: IDR\n  channel: wire\n"
        "timestamp_format: '%d/%m/%Y %H:%M'\ndecimal_comma: true\ndelimiter: ';'\n"
    )
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (1, 1)
    (row,) = rows(store)
    assert (row["tx_id"], row["amount"], row["currency"], row["channel"]) == (
        "T1",
        1500000.5,
        "IDR",
        "wire",
    )
    assert row["timestamp"] == datetime(2024, 2, 1, 9, 15, tzinfo=UTC)
    assert row["bene_name"] == "Siti Rahmawati"


def test_amlsim_current_layout_with_accounts_and_alerts(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "transactions.csv").write_text(
        "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n"
        "1,A1,B2,TRANSFER,120.5,2017-01-03T10:00:00Z,False,-1\n"
        "2,B2,A1,TRANSFER,99.0,5,True,7\n"
    )
    (tmp_path / "accounts.csv").write_text(
        "acct_id,dsply_nm,first_name,last_name,bank_id,country\n"
        "A1,C_A1,Budi,Santoso,bank_a,ID\nB2,C_B2,,,bank_b,RU\n"
    )
    assert load(tmp_path, "amlsim").accepted == 2
    first, second = rows(store)
    assert (first["tx_id"], first["orig_name"], first["orig_bank"], first["bene_country"]) == (
        "amlsim:1",
        "Budi Santoso",
        "bank_a",
        "RU",
    )
    assert first["timestamp"] == datetime(2017, 1, 3, 10, tzinfo=UTC)
    assert (second["label"], second["pattern_id"], second["orig_name"]) == (
        True,
        "amlsim-alert-7",
        "C_B2",
    )
    assert second["timestamp"] == datetime(2017, 1, 6, tzinfo=UTC)  # step 5 from 2017-01-01


def test_parties_are_ftm_entities(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    load(shared_data / "payments/iso20022/pain.001.001.03_RUB_international_payment.xml", "pain001")
    entities = list(party_entities(store))
    schemata = sorted(e.schema.name for e in entities)
    assert schemata == [
        "BankAccount",
        "BankAccount",
        "Company",
        "LegalEntity",
        "Ownership",
        "Ownership",
    ]
    company = next(e for e in entities if e.schema.name == "Company")
    assert company.get("name") == ["COMPANY Z"]
    account = next(
        e for e in entities if e.get("accountNumber", quiet=True) == ["LT007180000000000000"]
    )
    assert account.get("bic") == ["CBSBLT26"]  # FtM keeps the 8-letter institution BIC
    (payment,) = payment_entities(store)
    assert payment.schema.name == "Payment" and payment.get("currency") == ["RUB"]
    ids = {e.id for e in entities}
    assert set(payment.get("payer") + payment.get("beneficiary")) <= ids
    assert set(payment.get("payerAccount") + payment.get("beneficiaryAccount")) <= ids


def test_show_leaves_labelled_blank_for_a_source_without_labels(tmp_path: Path) -> None:
    """A bank's own payments carry no ground truth: the table must not print 'None'."""
    mt = tmp_path / "m.fin"
    mt.write_text(
        "{1:F01BANKIDJAXXXX0000000000}{4:\r\n:20:R\r\n:32A:210409IDR5,\r\n"
        ":50K:/1\r\nA\r\n:59:/2\r\nB\r\n-}"
    )
    _jalur(tmp_path / "ws", "tx", "load", str(mt), "--format", "mt103")
    shown = _jalur(tmp_path / "ws", "tx", "show")
    assert "None" not in shown and str(mt) in shown
    (source,) = json.loads(_jalur(tmp_path / "ws", "tx", "show", "--json"))["sources"]
    assert source["labelled"] is None  # scripts still tell "no labels" from "none laundering"
