"""A transaction id repeated inside one chunk: the first occurrence is stored, the rest counted.

The table is unique on `tx_id` by the loader's own filter (no primary key), so a file that
repeats an id in the same chunk must be caught within the chunk, not only against what earlier
chunks stored.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.store import Store

from .conftest import rows

HEADER = ["tx_id", "timestamp", "orig_account", "bene_account", "amount", "currency"]
RECORDS = [
    ["T1", "2024-02-01T09:15:00Z", "A1", "B1", "100.0", "USD"],
    ["T2", "2024-02-01T10:00:00Z", "A2", "B2", "200.0", "USD"],
    ["T1", "2024-02-02T11:00:00Z", "A9", "B9", "999.0", "USD"],  # the id again, other content
    ["T1", "2024-02-03T12:00:00Z", "A8", "B8", "888.0", "USD"],
]


def _write(tmp_path: Path, fmt: str) -> Path:
    if fmt == "csv":
        path = tmp_path / "repeats.csv"
        path.write_text("\n".join(",".join(r) for r in [HEADER, *RECORDS]) + "\n")
        return path
    path = tmp_path / "repeats.parquet"
    columns = {name: [r[i] for r in RECORDS] for i, name in enumerate(HEADER)}
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_repeated_id_in_one_chunk_is_stored_once(store: Store, tmp_path: Path, load, fmt) -> None:  # type: ignore[no-untyped-def]
    counts = load(_write(tmp_path, fmt), fmt)
    # the repeats hold other payments: quarantined naming the first (test_id_reuse.py)
    assert (counts.read, counts.accepted, counts.rejected, counts.duplicates) == (4, 2, 2, 0)
    stored = rows(store)
    assert [r["tx_id"] for r in stored] == ["T1", "T2"]
    assert (stored[0]["amount"], stored[0]["orig_account"]) == (100.0, "A1")  # the first wins
    (chunks,) = store.execute("SELECT chunks FROM tx_loads").fetchone() or (0,)
    assert chunks == 1  # all four records were in one chunk

    again = load(_write(tmp_path, fmt), fmt)
    assert (again.accepted, again.rejected, again.duplicates) == (0, 2, 2)
    assert len(rows(store)) == 2
