"""Every reader against the real third-party samples in ../shared/data: fields as the files say."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jalur.store import Store

from .conftest import rows

UETR = "8a562c67-ca16-48ba-b074-65581be6f001"


def test_pacs008_in_business_header_envelope(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = shared_data / "payments/iso20022/pacs.008.001.08_CBPR+_p_2_1_1_C_D.xml"
    assert load(path, "pacs008").as_dict() == {
        "read": 1,
        "accepted": 1,
        "rejected": 0,
        "duplicates": 0,
    }
    (row,) = rows(store)
    assert row["tx_id"] == UETR and row["uetr"] == UETR
    assert row["timestamp"] == datetime(2021, 4, 9, 7, 20, tzinfo=UTC)
    assert (row["amount"], row["currency"]) == (15669.38, "EUR")
    assert (row["orig_name"], row["orig_account"], row["orig_bank"], row["orig_country"]) == (
        "C Consumer",
        "12547896",
        "RBOSGB2LXXX",
        "GB",
    )
    assert (row["bene_name"], row["bene_account"], row["bene_bank"], row["bene_country"]) == (
        "Evli",
        "98653214",
        "HELSFIHHXXX",
        "FI",
    )
    assert row["bene_address"] == "Aleksanterinkatu 19, Helsinki"
    assert row["intermediary_banks"] == "ABNANL2AXXX"  # PrvsInstgAgt1
    assert row["purpose"] == "/ROC/pacs008EndToEndId-001"
    assert row["amount_reporting"] is not None and row["amount_reporting"] > row["amount"]
    assert "line" in str(row["source_position"])


def test_mt103_fields_and_same_uetr_as_pacs008_is_one_payment(
    store: Store,
    shared_data: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    mt = shared_data / "payments/swift_mt/MT103_p_2_1_1_C_D.fin"
    assert load(mt, "mt103").accepted == 1
    (row,) = rows(store)
    assert row["tx_id"] == UETR
    assert row["timestamp"] == datetime(2021, 4, 9, 7, 20, tzinfo=UTC)  # 32A date, block 2 time
    assert (row["amount"], row["currency"]) == (15669.38, "EUR")
    assert (row["orig_account"], row["orig_name"], row["orig_country"]) == (
        "12547896",
        "C Consumer",
        "GB",
    )
    assert row["orig_address"] == "High Street, GB/Epping"
    assert (row["orig_bank"], row["bene_bank"]) == ("RBOSGB2LXXX", "HELSFIHHXXX")
    assert (row["bene_account"], row["bene_name"], row["bene_country"]) == (
        "98653214",
        "Evli",
        "FI",
    )
    assert row["purpose"] == "/ROC/pacs008EndToEndId-001"
    assert row["intermediary_banks"] == "ABNANL2AXXX"  # :72:/INS/
    pacs = shared_data / "payments/iso20022/pacs.008.001.08_CBPR+_p_2_1_1_C_D.xml"
    assert load(pacs, "pacs008").duplicates == 1


def test_pain001_with_byte_order_mark(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = shared_data / "payments/iso20022/pain.001.001.03_RUB_international_payment.xml"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load(path, "pain001").accepted == 1
    (row,) = rows(store)
    assert row["tx_id"] == "pain001:MSGID0003:201509280003:Payment-1"
    assert row["timestamp"] == datetime(2015, 9, 28, tzinfo=UTC)  # ReqdExctnDt
    assert (row["amount"], row["currency"]) == (1000.0, "RUB")
    assert (row["orig_name"], row["orig_account"], row["orig_bank"]) == (
        "IMONE X",
        "LT007180000000000000",
        "CBSBLT26XXX",
    )
    assert row["orig_identifier"] == "123456789"
    assert (row["bene_name"], row["bene_account"]) == ("COMPANY Z", "1234567890")
    assert row["bene_bank"] == "RUCBC:044525593"  # clearing system member id
    assert row["bene_country"] == "RU"
    assert row["purpose"] == "PREPAYMENT RUB 1000,00"


def test_camt053_statement_entries(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = shared_data / "payments/iso20022/camt.053.001.02_statement_1.xml"
    assert load(path, "camt053").as_dict() == {
        "read": 4,
        "accepted": 4,
        "rejected": 0,
        "duplicates": 0,
    }
    got = {r["tx_id"].rsplit(":", 1)[1]: r for r in rows(store)}
    assert sorted(got) == ["514026627", "515993893", "516079331", "516079334"]
    fee = got["514026627"]
    assert (fee["amount"], fee["currency"], fee["channel"]) == (1.64, "EUR", "fee")
    assert fee["timestamp"] == datetime(2015, 5, 11, tzinfo=UTC)
    # DBIT: the statement's account owner pays; the counterparty is under RltdPties/Cdtr.
    court = got["516079331"]
    assert (court["orig_account"], court["orig_name"]) == (
        "LT007180000000000000",
        'UAB "TESTAVIMAS"',
    )
    assert (court["bene_name"], court["bene_account"], court["bene_bank"]) == (
        "Antstolis Vardenis Pavardenis",
        "LT007044000000000000",
        "CBVILT2XXXX",
    )
    assert court["purpose"] == "Dalinis nurašymas pagal inkasinį pavedimą"
    assert got["515993893"]["amount"] == 2734.58


def test_amlsim_graph_sample_with_labels(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    folder = shared_data / "monitoring/amlsim/20K_cycle200"
    counts = load(folder, "amlsim")
    assert counts.as_dict() == {"read": 117805, "accepted": 117805, "rejected": 0, "duplicates": 0}
    first = store.execute(
        """SELECT orig_account, bene_account, amount, timestamp FROM transactions
           WHERE source_position = 'line 2'"""
    ).fetchone()
    assert first == ("280", "15349", 147.8, datetime(2017, 1, 2, tzinfo=UTC))  # step 1
    fraud = {
        row[0]
        for row in store.execute(
            "SELECT nodeid FROM read_csv(?, all_varchar = true) WHERE isFraud = '1'",
            [str(folder / "nodes.csv")],
        ).fetchall()
    }
    assert len(fraud) == 945
    labelled = store.execute(
        "SELECT orig_account, bene_account FROM transactions WHERE label"
    ).fetchall()
    assert labelled and all(o in fraud and b in fraud for o, b in labelled)
    assert load(folder, "amlsim").duplicates == 117805  # idempotent


def test_amlsim_older_tiny_layout(store: Store, shared_data: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = load(shared_data / "monitoring/amlsim/outputs_tiny", "amlsim")
    assert counts.accepted == 45 + 88  # tx.csv + cash_tx.csv
    (row,) = rows(store, "tx_id = 'amlsim-tiny:20'")
    assert (row["orig_account"], row["bene_account"], row["amount"], row["label"]) == (
        "24",
        "24",
        147.21,
        True,
    )
    assert row["timestamp"] == datetime(2017, 1, 7, tzinfo=UTC)
    assert rows(store, "tx_id = 'amlsim-tiny:1'")[0]["channel"] == "cash"


def test_a_source_recorded_under_another_name_keeps_each_files_place(
    store: Store, shared_data: Path
) -> None:
    """`recorded_as` (the service's uploads) replaces the path in the payments and the load
    log; a folder's files keep their names below it, so its parts stay apart."""
    from jalur.transactions import load_log, load_transactions

    folder = shared_data / "monitoring/amlsim/outputs_tiny"
    counts = load_transactions(store, folder, "amlsim", recorded_as="upload:PPATK/tiny")
    assert counts.accepted == 45 + 88
    files = {
        f for (f,) in store.execute("SELECT DISTINCT source_file FROM transactions").fetchall()
    }
    assert files == {"upload:PPATK/tiny/tx.csv", "upload:PPATK/tiny/cash_tx.csv"}, files
    assert [r["source_file"] for r in load_log(store)] == ["upload:PPATK/tiny"]
