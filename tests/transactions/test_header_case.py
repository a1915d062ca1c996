"""A mapped column is found in the header whatever its case and surrounding spaces, where
one header name alone matches: a bank's next export version wrote `TANGGAL ` for `Tanggal`,
and the whole load stopped on `mapped columns not in file`. A column still missing is named
with the file's own columns beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import rows

MAPPING = """columns:
  tx_id: Ref
  timestamp: Tanggal
  orig_account: Dari
  bene_account: Ke
  bene_name: Nama Penerima
  amount: Jumlah
constants:
  currency: IDR
delimiter: ";"
"""


def test_a_header_in_other_case_and_spaces_is_read(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text(
        "REF; TANGGAL ;dari;KE;NAMA PENERIMA;Jumlah\nR1;2026-12-07;111;222;BUDI;5\nTOTAL;;;;;5\n",
        encoding="utf-8",
    )
    counts = load(source, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected, counts.footers) == (1, 0, 1)
    (row,) = rows(store)
    assert (row["tx_id"], row["orig_account"], row["bene_name"]) == ("R1", "111", "BUDI")


def test_a_missing_column_is_named_beside_the_files_columns(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text("Ref;Tanggal;Dari;Ke;Jumlah\nR1;2026-12-07;111;222;5\n", "utf-8")
    with pytest.raises(TransactionLoadError, match=r"\['Nama Penerima'\] \(the file's columns"):
        load(source, "csv", mapping=mapping)
