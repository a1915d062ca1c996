"""A statement-style export: one account's statement (date, description, counterparty, and
a debit/credit indicator, or signed amounts, or separate debit and credit columns), as a
bank's internet banking or core system exports it. There was no mapping key for it: the
statement's own account is on no line, and whether it paid or was paid depends on the line,
so such a file could not be mapped to payer and payee. A mapping's `statement:` says so: the
statement's own account goes on one side, the counterparty on the other, the direction from
the indicator, the sign or the column the amount is in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import quarantined, rows

BASE = """columns:
  timestamp: Tanggal
  purpose: Keterangan
{amount}constants:
  currency: IDR
timestamp_format: "%d/%m/%Y"
decimal_comma: true
delimiter: ";"
statement:
  account: "0987654321"
  name: PT SUMBER REJEKI
  bank: CENAIDJA
  counterparty:
    account: Rekening Lawan
    name: Nama Lawan
{direction}"""


def _load(tmp_path: Path, load, header: str, lines: list[str], amount: str, direction: str):  # type: ignore[no-untyped-def]
    data = tmp_path / "mutasi.csv"
    data.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "mutasi.yaml"
    mapping.write_text(BASE.format(amount=amount, direction=direction), encoding="utf-8")
    return load(data, "csv", mapping=mapping)


def _sides(store: Store) -> list[tuple[object, ...]]:
    return [
        tuple(r[k] for k in ("purpose", "orig_account", "orig_name", "orig_bank"))
        + tuple(r[k] for k in ("bene_account", "bene_name", "bene_bank", "amount"))
        for r in sorted(rows(store), key=lambda r: str(r["source_position"]))
    ]


OWN = ("0987654321", "PT SUMBER REJEKI", "CENAIDJA")
BUDI = ("1234567890", "BUDI SANTOSO", None)
MAJU = ("5555", "PT MAJU JAYA", None)


def test_an_indicator_column_says_which_side_the_statements_account_is_on(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    counts = _load(
        tmp_path,
        load,
        "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah;D/K",
        [
            "07/12/2026;TRSF E-BANKING;1234567890;BUDI SANTOSO;1.500.000,00;D",
            "07/12/2026;SETORAN;5555;PT MAJU JAYA;250.000,00;K",
            "07/12/2026;BIAYA;;;6.500,00;db",
            "07/12/2026;???;111;X;100,00;Z",
            "07/12/2026;KOSONG;111;X;100,00;",
        ],
        "  amount: Jumlah\n",
        "  indicator: D/K\n",
    )
    assert (counts.read, counts.accepted, counts.rejected) == (5, 3, 2)
    assert _sides(store) == [
        ("TRSF E-BANKING", *OWN, *BUDI, 1_500_000.0),
        ("SETORAN", *MAJU, *OWN, 250_000.0),
        ("BIAYA", *OWN, None, None, None, 6_500.0),
    ]
    assert quarantined(store) == [
        (
            "line 5",
            'debit/credit indicator in column "D/K" is neither debit (D, DB, DR, DBT, DBIT, '
            "DEBIT, DEBET, Д, ДЕБЕТ) nor credit (C, K, CR, KR, CRDT, CREDIT, KREDIT, К, "
            "КРЕДИТ): Z",
        ),
        ("line 6", 'debit/credit indicator in column "D/K" missing'),
    ]


def test_a_mapping_may_name_its_own_indicator_values(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = _load(
        tmp_path,
        load,
        "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah;Arah",
        [
            "07/12/2026;KELUAR;1234567890;BUDI SANTOSO;1.500.000,00;keluar",
            "07/12/2026;MASUK;5555;PT MAJU JAYA;250.000,00;masuk",
            "07/12/2026;D;5555;PT MAJU JAYA;250.000,00;D",
        ],
        "  amount: Jumlah\n",
        "  indicator: Arah\n  debit: [keluar]\n  credit: [masuk]\n",
    )
    assert (counts.accepted, counts.rejected) == (2, 1)
    assert [r[0] for r in _sides(store)] == ["KELUAR", "MASUK"]
    assert "neither debit (KELUAR) nor credit (MASUK): D" in quarantined(store)[0][1]


def test_signed_amounts_give_the_direction(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = _load(
        tmp_path,
        load,
        "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah",
        [
            "07/12/2026;OUT;1234567890;BUDI SANTOSO;-1.500.000,00",
            "07/12/2026;IN;5555;PT MAJU JAYA;250.000,00",
            "07/12/2026;OUT2;1234567890;BUDI SANTOSO;1.000,00-",
            "07/12/2026;BAD;1234567890;BUDI SANTOSO;-abc",
        ],
        "  amount: Jumlah\n",
        "",
    )
    assert (counts.accepted, counts.rejected) == (3, 1)
    assert _sides(store) == [
        ("OUT", *OWN, *BUDI, 1_500_000.0),
        ("IN", *MAJU, *OWN, 250_000.0),
        ("OUT2", *OWN, *BUDI, 1_000.0),
    ]
    assert quarantined(store) == [("line 5", "amount is not a number: abc")]


def test_debit_and_credit_columns_give_the_direction(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = _load(
        tmp_path,
        load,
        "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Debet;Kredit",
        [
            "07/12/2026;OUT;1234567890;BUDI SANTOSO;1.500.000,00;0,00",
            "07/12/2026;IN;5555;PT MAJU JAYA;;250.000,00",
            "07/12/2026;BOTH;5555;PT MAJU JAYA;1,00;2,00",
            "07/12/2026;NONE;5555;PT MAJU JAYA;0,00;",
        ],
        "",
        "  debit_amount: Debet\n  credit_amount: Kredit\n",
    )
    assert (counts.read, counts.accepted, counts.rejected) == (4, 2, 2)
    assert _sides(store) == [
        ("OUT", *OWN, *BUDI, 1_500_000.0),
        ("IN", *MAJU, *OWN, 250_000.0),
    ]
    assert quarantined(store) == [
        (
            "line 4",
            'both debit ("Debet": 1,00) and credit ("Kredit": 2,00): a statement line '
            "moves money one way",
        ),
        ("line 5", 'neither debit ("Debet") nor credit ("Kredit") has an amount'),
    ]


@pytest.mark.parametrize(
    ("amount", "direction", "message"),
    [
        ("  amount: Jumlah\n", "  indicator: Arah\n", "mapped columns not in file: ['Arah']"),
        (
            "  amount: Jumlah\n  orig_account: Rekening Lawan\n",
            "",
            "statement: sets the orig_* and bene_* fields; name the counterparty's columns "
            "under statement.counterparty, not columns.orig_account",
        ),
        (
            "  amount: Jumlah\n",
            "  indicator: Jumlah\n  debit_amount: Jumlah\n",
            "statement: indicator and debit_amount/credit_amount are two ways",
        ),
        ("", "  debit_amount: Jumlah\n", "statement: debit_amount needs credit_amount"),
        (
            "  amount: Jumlah\n",
            "  debit_amount: Jumlah\n  credit_amount: Jumlah\n",
            "statement: with debit_amount and credit_amount the amount is theirs",
        ),
        ("  amount: Jumlah\n", "  counterparty:\n    iban: X\n", "statement.counterparty: "),
    ],
)
def test_a_statement_mapping_that_cannot_work_is_refused(
    store: Store, tmp_path: Path, load, amount: str, direction: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransactionLoadError, match=message.replace("[", r"\[").replace("*", r"\*")):
        _load(
            tmp_path,
            load,
            "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah",
            ["07/12/2026;OUT;1234567890;BUDI SANTOSO;-1.500.000,00"],
            amount,
            direction,
        )


def test_a_parquet_statement_with_signed_numbers_loads(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "mutasi.parquet"
    pq.write_table(
        pa.table(
            {
                "Tanggal": pa.array([datetime(2026, 12, 7), datetime(2026, 12, 8)]),
                "Lawan": ["1234567890", "5555"],
                "Jumlah": pa.array([-1500.5, 250.0], pa.float64()),
                "Extra": [1, 2],
            }
        ),
        data,
    )
    mapping = tmp_path / "mutasi.yaml"
    mapping.write_text(
        "columns:\n  timestamp: Tanggal\n  amount: Jumlah\nconstants:\n  currency: USD\n"
        "statement:\n  account: '0987654321'\n  counterparty:\n    account: Lawan\n",
        encoding="utf-8",
    )
    counts = load(data, "parquet", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (2, 0)
    got = [(r["orig_account"], r["bene_account"], r["amount"]) for r in rows(store)]
    assert sorted(got) == [("0987654321", "1234567890", 1500.5), ("5555", "0987654321", 250.0)]


def test_an_own_account_yaml_reads_as_a_number_is_refused(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "mutasi.csv"
    data.write_text("Tanggal,Jumlah\n2026-12-07,-5\n", encoding="utf-8")
    mapping = tmp_path / "mutasi.yaml"
    mapping.write_text(
        "columns:\n  timestamp: Tanggal\n  amount: Jumlah\nconstants:\n  currency: USD\n"
        "statement:\n  account: 0123456\n",  # YAML: the octal number 42798
        encoding="utf-8",
    )
    with pytest.raises(TransactionLoadError, match=r"statement.account: write the value in quotes"):
        load(data, "csv", mapping=mapping)


def test_an_indicator_written_after_the_amount_gives_the_direction(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    # BCA's internet banking writes `1,500,000.00 DB` / `250,000.00 CR` in one column
    data = tmp_path / "bca.csv"
    data.write_text(
        "Tanggal,Keterangan,Rekening Lawan,Nama Lawan,Jumlah\n"
        '07/12/2026,OUT,1234567890,BUDI SANTOSO,"1,500,000.00 DB"\n'
        '07/12/2026,IN,5555,PT MAJU JAYA,"250,000.00 CR"\n'
        '07/12/2026,USD,5555,PT MAJU JAYA,"250,000.00 USD"\n'
        "07/12/2026,PLAIN,5555,PT MAJU JAYA,100.00\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "bca.yaml"
    mapping.write_text(
        BASE.format(amount="  amount: Jumlah\n", direction="")
        .replace("decimal_comma: true\n", "")
        .replace('delimiter: ";"\n', ""),
        encoding="utf-8",
    )
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (3, 1)
    assert _sides(store) == [
        ("OUT", *OWN, *BUDI, 1_500_000.0),
        ("IN", *MAJU, *OWN, 250_000.0),
        ("PLAIN", *MAJU, *OWN, 100.0),
    ]
    assert quarantined(store) == [("line 4", "amount is not a number: 250,000.00 USD")]


def test_a_statement_in_canonical_column_names_needs_no_columns_key(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "mutasi.csv"
    data.write_text("timestamp,amount,currency\n2026-12-07,-5,USD\n", encoding="utf-8")
    mapping = tmp_path / "mutasi.yaml"
    mapping.write_text("statement:\n  account: '0987654321'\n", encoding="utf-8")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (1, 0)
    assert [(r["orig_account"], r["amount"]) for r in rows(store)] == [("0987654321", 5.0)]
