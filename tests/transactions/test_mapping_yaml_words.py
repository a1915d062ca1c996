"""A mapping's YAML reads `No`, `yes`, `on` and `off` as text: only `true` and `false` are
true and false. PyYAML reads YAML 1.1, where they are booleans: a bank export whose first
column is `No` (Indonesian *nomor*) stopped with `columns.tx_id must name a column, not
False`, and the constant country `NO` (Norway) was False. A switch written `yes` still
switches on, as before."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import rows

MAPPING = """columns:
  tx_id: No
  timestamp: Tanggal
  orig_account: Dari
  bene_account: Ke
  amount: Jumlah
constants:
  currency: IDR
  bene_country: NO
decimal_comma: yes
delimiter: ";"
"""


def test_no_is_a_column_and_a_country_and_yes_a_switch(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text("No;Tanggal;Dari;Ke;Jumlah\n7;2026-12-07;111;222;1.234.567,50\n", "utf-8")
    counts = load(source, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (1, 0)
    (row,) = rows(store)
    assert (row["tx_id"], row["bene_country"], row["amount"]) == ("7", "NO", 1234567.5)
