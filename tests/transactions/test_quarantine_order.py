"""`jalur tx quarantine` lists a file's rejected records in file order: "line 10" came before
"line 3" (the position was sorted as text)."""

from __future__ import annotations

from pathlib import Path

from jalur.config import Settings
from jalur.store import Store
from jalur.transactions import load_transactions, quarantine_rows


def test_quarantine_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    good = "T{n},2024-01-01T10:00:00,A,B,100,USD"
    rows = [good.format(n=n) for n in range(1, 12)]
    rows[1] = "T2,2024-01-01T10:00:00,A,B,-5,USD"  # line 3
    rows[8] = "T9,2024-01-01T10:00:00,A,B,nan,USD"  # line 10
    header = "tx_id,timestamp,orig_account,bene_account,amount,currency"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with Store.open(Settings.resolve(tmp_path / "home")) as store:
        load_transactions(store, path, "csv")
        positions = [r["source_position"] for r in quarantine_rows(store)]
    assert positions == ["line 3", "line 10"]
