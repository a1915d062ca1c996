"""A mapping's `timezone:` says the zone of times written without one. A bank's export in WIB
(`07/12/2026 08:30`, Asia/Jakarta, UTC+7) had no way to say so: its times were taken as UTC
and every payment landed 7 hours late. Times that carry an offset keep theirs; an unknown zone
is a mapping error naming the key, and nothing is loaded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import quarantined, rows

MAPPING = (
    "columns:\n  tx_id: Ref\n  timestamp: Tanggal\n  orig_account: Dari\n"
    "  bene_account: Ke\n  amount: Jumlah\n"
    "constants:\n  currency: IDR\n"
    "timestamp_format: '%d/%m/%Y %H:%M'\ndelimiter: ';'\n{zone}"
)
WIB = [
    "W1;07/12/2026 08:30;A1;A2;100",  # the mapping's layout, no zone: WIB
    "W2;2026-12-07T03:15:00;A1;A2;100",  # ISO 8601 without zone: WIB
    "W3;2026-12-07T08:30:00+00:00;A1;A2;100",  # an offset of its own: kept
    "W4;07/12/2026 08:30 +0100;A1;A2;100",  # ISO-less text with an offset: quarantined as before
]


def _load(store: Store, tmp_path: Path, load, zone: str):  # type: ignore[no-untyped-def]
    data = tmp_path / "bank.csv"
    data.write_text("Ref;Tanggal;Dari;Ke;Jumlah\n" + "".join(f"{x}\n" for x in WIB))
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING.format(zone=zone))
    return load(data, "csv", mapping=mapping)


def test_times_without_a_zone_are_read_in_the_mappings_timezone(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    counts = _load(store, tmp_path, load, "timezone: Asia/Jakarta\n")
    assert (counts.accepted, counts.rejected) == (3, 1), quarantined(store)
    assert [(r["tx_id"], r["timestamp"]) for r in rows(store)] == [
        ("W1", datetime(2026, 12, 7, 1, 30, tzinfo=UTC)),
        ("W2", datetime(2026, 12, 6, 20, 15, tzinfo=UTC)),
        ("W3", datetime(2026, 12, 7, 8, 30, tzinfo=UTC)),
    ]


def test_without_the_key_times_are_utc_as_before(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    counts = _load(store, tmp_path, load, "")
    assert (counts.accepted, counts.rejected) == (3, 1), quarantined(store)
    assert [r["timestamp"] for r in rows(store)] == [
        datetime(2026, 12, 7, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 3, 15, tzinfo=UTC),
        datetime(2026, 12, 7, 8, 30, tzinfo=UTC),
    ]


def test_a_parquet_files_naive_times_are_read_in_the_mappings_timezone(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    table = pa.table(
        {
            "Ref": ["P1", "P2"],
            "Waktu": pa.array([datetime(2026, 12, 7, 8, 30)] * 2, pa.timestamp("s")),
            "Jumlah": [5.0, 6.0],
        }
    )
    path = tmp_path / "bank.parquet"
    pq.write_table(table, path)
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(
        "columns:\n  tx_id: Ref\n  timestamp: Waktu\n  amount: Jumlah\n"
        "constants:\n  currency: IDR\ntimezone: Asia/Jakarta\n"
    )
    counts = load(path, "parquet", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (2, 0), quarantined(store)
    assert {r["timestamp"] for r in rows(store)} == {datetime(2026, 12, 7, 1, 30, tzinfo=UTC)}


@pytest.mark.parametrize("zone", ["Asia/Jakarte", "WIB", "../etc/passwd", "7", "''"])
def test_an_unknown_timezone_is_a_mapping_error_naming_the_key(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
    zone: str,
) -> None:
    with pytest.raises(TransactionLoadError, match="timezone") as raised:
        _load(store, tmp_path, load, f"timezone: {zone}\n")
    assert "mapping" in str(raised.value)
    loaded = store.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'transactions'"
    ).fetchone()
    assert loaded == (0,) or rows(store) == []  # nothing loaded
