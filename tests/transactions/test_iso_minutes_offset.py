"""ISO 8601 times with minutes but no seconds before the offset (`2026-12-07 08:30+07:00`) are
valid ISO and what a bank's WIB export writes; DuckDB cannot cast them, so they were
quarantined as "bad timestamp"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

MAPPING = (
    "columns:\n  tx_id: Ref\n  timestamp: Tanggal\n  orig_account: Dari\n"
    "  bene_account: Ke\n  amount: Jumlah\n"
    "constants:\n  currency: IDR\n  channel: wire\n"
    "delimiter: ';'\n"
)


def test_iso_times_without_seconds_before_the_offset_are_read_at_their_instant(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "bank.csv"
    times = [
        "2026-12-07 08:30+07:00",
        "2026-12-07T08:30+0700",
        "2026-12-07T08:30Z",
        "2026-12-07 8:30-05:30",
        "2026-12-07 08:30:15+07:00",  # with seconds: read as before
    ]
    data.write_text(
        "Ref;Tanggal;Dari;Ke;Jumlah\n"
        + "".join(f"T{n};{t};A1;A2;100\n" for n, t in enumerate(times))
    )
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING)
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (5, 0), quarantined(store)
    assert [r["timestamp"] for r in rows(store)] == [
        datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 14, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 1, 30, 15, tzinfo=UTC),
    ]
