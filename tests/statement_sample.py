"""A bank statement as Indonesian internet banking exports it (mutasi rekening): movements
between its opening and closing balance lines and its debit and credit totals, and the mapping
that reads it. Shared by the tests of `tx load` and `stream publish`."""

from __future__ import annotations

MAPPING = """columns:
  timestamp: Tanggal
  purpose: Keterangan
  amount: Jumlah
constants:
  currency: IDR
timestamp_format: "%d/%m/%Y"
decimal_comma: true
delimiter: ";"
statement:
  account: "0987654321"
  name: PT SUMBER REJEKI
  counterparty:
    account: Rekening Lawan
    name: Nama Lawan
  indicator: D/K
"""
LINES = [
    "Tanggal;Keterangan;Rekening Lawan;Nama Lawan;Jumlah;D/K",
    ";Saldo Awal;;;10.000.000,00;",
    "07/12/2026;TRSF E-BANKING;1234567890;BUDI SANTOSO;1.500.000,00;D",
    "07/12/2026;SETORAN;5555;PT MAJU JAYA;250.000,00;K",
    "07/12/2026;Total;5555;PT MAJU JAYA;100,00;",  # a counterparty: a (bad) payment
    "07/12/2026;KOSONG;111;X;100,00;",
    ";Mutasi Debet:;;;1.500.000,00;",
    ";MUTASI KREDIT;;;250.000,00;",
    "31/12/2026;Saldo Akhir per 31/12/2026;;;8.750.000,00;",
    ";Closing balance;;;8.750.000,00;",
    ";Итого обороты;;;1.750.000,00;",
]
