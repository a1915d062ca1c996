"""A bank statement's balance and total lines ("Saldo Awal", "Saldo Akhir", "Mutasi Debet",
"Closing balance", "Итого"), as internet banking and 1C write them after the movements, were
quarantined as payments without a direction: a quarantine full of non-payments hides the real
bad lines. They are recognised as the statement's own lines, counted apart (`footers`) and
named in the load log: nothing is dropped silently. A line that names a counterparty is a
payment whatever its description says."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app
from jalur.store import Store
from statement_sample import LINES, MAPPING

from .conftest import quarantined, rows


def _files(tmp_path: Path) -> tuple[Path, Path]:
    data, mapping = tmp_path / "mutasi.csv", tmp_path / "mutasi.yaml"
    data.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    return data, mapping


def test_balance_and_total_lines_are_counted_apart(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _files(tmp_path)
    counts = load(data, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected, counts.footers) == (4, 2, 2, 6)
    assert counts.as_dict()["footers"] == 6
    assert [p for p, _ in quarantined(store)] == ["line 5", "line 6"]
    assert len(rows(store)) == 2
    (logged,) = store.execute("SELECT footers FROM tx_loads").fetchone() or (None,)
    assert logged == 6


def test_the_load_says_so(tmp_path: Path) -> None:
    data, mapping = _files(tmp_path)
    home = str(tmp_path / "ws")
    args = ["--home", home, "tx", "load", str(data), "--format", "csv", "--mapping", str(mapping)]
    said = CliRunner().invoke(app, args)
    assert said.exit_code == 3, said.output
    assert "6 statement balance or total lines (not payments)" in " ".join(said.output.split())
    again = CliRunner().invoke(app, [*args, "--json"])
    assert json.loads(again.stdout)["footers"] == 6
    logged = CliRunner().invoke(app, ["--home", home, "tx", "loads"])
    assert logged.output.splitlines()[0].split("\t")[-1] == "footers"
    assert logged.output.splitlines()[1].split("\t")[-1] == "6"


def test_a_file_without_them_says_nothing_of_them(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _files(tmp_path)
    data.write_text("\n".join([LINES[0], *LINES[2:4]]) + "\n", encoding="utf-8")
    counts = load(data, "csv", mapping=mapping)
    assert counts.footers == 0 and "footers" not in counts.as_dict()


RU_MAPPING = """columns:
  timestamp: Дата
  purpose: Назначение платежа
constants:
  currency: RUB
timestamp_format: "%d.%m.%Y"
decimal_comma: true
delimiter: ";"
statement:
  account: "40702810000000000001"
  name: ООО Ромашка
  counterparty:
    account: Счет контрагента
    name: Контрагент
  debit_amount: Дебет
  credit_amount: Кредит
"""
RU_LINES = [
    "Дата;Контрагент;Счет контрагента;Дебет;Кредит;Назначение платежа",
    ";Входящий остаток;;;1 000 000,00;",  # 1C writes the words in the counterparty's column
    '01.12.2026;ООО "Вектор";40702810900000000002;150 000,00;;Оплата по счету №15',
    "02.12.2026;TOTAL E&P;;;25 000,50;Возврат",  # a company named Total: a payment
    "03.12.2026;Total;;;25 000,50;",  # `Total` alone, no account: the statement's total
    ";Обороты за период;;150 000,00;50 001,00;",
    ";Исходящий остаток;;;900 001,00;",
]


def test_a_1c_statements_lines_in_the_counterpartys_column(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = tmp_path / "выписка.csv", tmp_path / "выписка.yaml"
    data.write_text("\n".join(RU_LINES) + "\n", encoding="utf-8")
    mapping.write_text(RU_MAPPING, encoding="utf-8")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected, counts.footers) == (2, 2, 0, 4)
    assert {str(r["orig_name"]) for r in rows(store)} == {"ООО Ромашка", "TOTAL E&P"}


PAYMENTS_MAPPING = """columns:
  timestamp: Tanggal
  amount: Nominal
  orig_account: Rekening Pengirim
  orig_name: Pengirim
  bene_account: Rekening Penerima
  bene_name: Penerima
constants:
  currency: IDR
timestamp_format: "%d/%m/%Y"
decimal_comma: true
delimiter: ";"
"""
PAYMENT_LINES = [
    "Tanggal;Rekening Pengirim;Pengirim;Rekening Penerima;Penerima;Nominal",
    "07/12/2026;111;AHMAD YANI;222;BUDI SANTOSO;1.500.000,00",
    "07/12/2026;333;SITI AMINAH;444;PT MAJU JAYA;250.000,00",
    "07/12/2026;555;TOTAL;666;PT Z;abc",  # parties named: a payment (a bad one), no footer
    "TOTAL;;;;;1.750.000,00",
    "Grand total:;;;;;1.750.000,00",
]


def test_a_payment_exports_total_line_is_counted_apart(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    """Not only a statement: a bank's payments report ends with its total too."""
    data, mapping = tmp_path / "transfer.csv", tmp_path / "transfer.yaml"
    data.write_text("\n".join(PAYMENT_LINES) + "\n", encoding="utf-8")
    mapping.write_text(PAYMENTS_MAPPING, encoding="utf-8")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.read, counts.accepted, counts.rejected, counts.footers) == (3, 2, 1, 2)
    assert [p for p, _ in quarantined(store)] == ["line 4"]
