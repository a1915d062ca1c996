"""A mapped file whose times carry their zone in the mapping's own layout (`%z`) loads at the
instant it names. A bank's export in WIB (`07/12/2026 08:30 +0700`, `timestamp_format:
"%d/%m/%Y %H:%M %z"`) was quarantined whole ("bad timestamp"): a time ending in an offset was
only ever read as ISO 8601, never with the mapping's format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

MAPPING = (
    "columns:\n  tx_id: Ref\n  timestamp: Tanggal\n  orig_account: Dari\n"
    "  bene_account: Ke\n  amount: Jumlah\n"
    "constants:\n  currency: IDR\n  channel: wire\n"
    "timestamp_format: {fmt}\ndelimiter: ';'\n"
)


def _load(store: Store, tmp_path: Path, load, fmt: str, lines: list[str]):  # type: ignore[no-untyped-def]
    data = tmp_path / "bank.csv"
    data.write_text("Ref;Tanggal;Dari;Ke;Jumlah\n" + "".join(f"{x}\n" for x in lines))
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING.format(fmt=fmt))
    return load(data, "csv", mapping=mapping)


def test_a_zoned_time_in_the_mappings_layout_is_read_at_its_instant(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    counts = _load(
        store,
        tmp_path,
        load,
        "'%d/%m/%Y %H:%M %z'",
        ["W1;07/12/2026 08:30 +0700;A1;A2;100", "W2;07/12/2026 23:30 -0130;A1;A2;200"],
    )
    assert (counts.accepted, counts.rejected) == (2, 0), quarantined(store)
    assert [r["timestamp"] for r in rows(store)] == [
        datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
        datetime(2026, 12, 8, 1, 0, tzinfo=UTC),
    ]


def test_naive_layout_and_iso_offsets_read_as_before(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    counts = _load(
        store,
        tmp_path,
        load,
        "'%d/%m/%Y %H:%M'",
        ["N1;07/12/2026 08:30;A1;A2;100", "N2;2026-12-07T08:30:00+07:00;A1;A2;100"],
    )
    assert (counts.accepted, counts.rejected) == (2, 0), quarantined(store)
    assert [r["timestamp"] for r in rows(store)] == [
        datetime(2026, 12, 7, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
    ]
