"""A payment's provenance names its file by its full path. `jalur tx load transaksi.csv` kept
the name as typed, so two banks' `transaksi.csv` loaded from their own folders were one row
of `jalur tx show` ("transaksi.csv: 2 payments") and nothing told which file a payment or a
quarantined record came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store

from .conftest import rows

HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"


def test_a_relative_path_is_kept_as_the_full_path(
    store: Store,
    tmp_path: Path,
    load,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    for bank in ("bank_a", "bank_b"):
        (tmp_path / bank).mkdir()
        (tmp_path / bank / "transaksi.csv").write_text(
            HEADER + f"{bank}-1,2026-12-01T08:30:00,A,B,100,IDR\n"
        )
        monkeypatch.chdir(tmp_path / bank)
        load(Path("transaksi.csv"), "csv")
    assert {r["tx_id"]: r["source_file"] for r in rows(store)} == {
        "bank_a-1": str(tmp_path / "bank_a" / "transaksi.csv"),
        "bank_b-1": str(tmp_path / "bank_b" / "transaksi.csv"),
    }
