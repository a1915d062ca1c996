"""A mapping may give several timestamp formats, tried in order: a bank's export that writes
`7/12/26` on some lines and `07/12/2026` on others (two systems behind one export). A list
under `timestamp_format` used to be read as its Python text (`['%d/%m/%y', …]`), so every
time of the file was a bad timestamp and nothing said the mapping was wrong; anything but a
format or a list of formats is now a mapping error naming the key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

from .conftest import quarantined, rows

MAPPING = """columns:
  tx_id: Ref
  timestamp: Tgl
  amount: Jumlah
constants:
  currency: IDR
timestamp_format: {formats}
"""


def _load(tmp_path: Path, load, formats: str):  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.format(formats=formats), encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text(
        "Ref,Tgl,Jumlah\nT1,7/12/26,100\nT2,07/12/2026,100\nT3,2026-12-07,100\nT4,kemarin,100\n",
        encoding="utf-8",
    )
    return load(source, "csv", mapping=mapping)


def test_a_list_of_formats_is_tried_in_order(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    counts = _load(tmp_path, load, '["%d/%m/%y", "%d/%m/%Y"]')
    assert (counts.accepted, counts.rejected) == (3, 1)
    when = datetime(2026, 12, 7, tzinfo=UTC)
    assert [(r["tx_id"], r["timestamp"]) for r in rows(store)] == [
        ("T1", when),
        ("T2", when),
        ("T3", when),  # ISO 8601 is always read
    ]
    assert quarantined(store) == [("line 5", "bad timestamp: kemarin")]


@pytest.mark.parametrize("formats", ["42", "{a: b}", "[]", '["%d/%m/%Y", 7]'])
def test_a_format_that_is_no_text_is_a_mapping_error(
    store: Store, tmp_path: Path, load, formats: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TransactionLoadError, match="timestamp_format: "):
        _load(tmp_path, load, formats)
