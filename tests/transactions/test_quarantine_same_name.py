"""A rejected record of a file that has the name of one loaded before is quarantined too. A
bank's monthly `transaksi.csv` (a new file under the old name, or the same name from another
folder) said "rejected 1 (see `jalur tx quarantine`)" but its record was not there: the
quarantine skipped any record whose file name and line it already held, which is meant only
for loading the same file again (an interrupted load rerun)."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined

HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"


def test_a_new_file_under_an_old_name_has_its_rejections_quarantined(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "transaksi.csv"
    path.write_text(HEADER + "N1,2026-11-01T08:30:00,A,B,100,IDR\nN2,2026-11-31,A,B,5,IDR\n")
    assert load(path, "csv").rejected == 1
    path.write_text(HEADER + "D1,2026-12-01T08:30:00,A,B,100,IDR\nD2,2026-12-02,A,B,lots,IDR\n")
    assert load(path, "csv").rejected == 1
    assert sorted(quarantined(store)) == [
        ("line 3", "amount is not a number: lots"),
        ("line 3", "bad timestamp: 2026-11-31"),
    ]


def test_loading_the_same_file_again_quarantines_nothing_twice(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "transaksi.csv"
    path.write_text(HEADER + "N1,2026-11-01T08:30:00,A,B,100,IDR\nN2,2026-11-31,A,B,5,IDR\nshort\n")
    load(path, "csv")
    load(path, "csv")
    assert len(quarantined(store)) == 2
