"""Spreadsheets in comma-decimal locales (ru-RU, fr-FR, id-ID with a custom format) write
`1 234 567,89` with a no-break space (U+00A0) or a narrow no-break space (U+202F) between the
digit groups, not the ASCII space the loader removed. Under `decimal_comma: true` every such
amount was quarantined as not a number; the group separators are removed like spaces."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

MAPPING = """columns:
  tx_id: Ref
  timestamp: Tanggal
  amount: Jumlah
constants:
  currency: RUB
timestamp_format: "%d.%m.%Y %H:%M"
decimal_comma: true
delimiter: ";"
"""


def test_no_break_spaces_between_digit_groups(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = tmp_path / "vypiska.csv"
    source.write_text(
        "Ref;Tanggal;Jumlah\n"
        "T1;07.12.2026 08:30;1\u00a0234\u00a0567,89\n"
        "T2;07.12.2026 08:30;1\u202f234,5\n"
        "T3;07.12.2026 08:30;1 234,5\n"
        "T4;07.12.2026 08:30;12,34,5\n",
        encoding="utf-8",
    )
    counts = load(source, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (3, 1)
    assert [(r["tx_id"], r["amount"]) for r in rows(store)] == [
        ("T1", 1234567.89),
        ("T2", 1234.5),
        ("T3", 1234.5),
    ]
    assert quarantined(store) == [("line 5", "amount is not a number: 12,34,5")]
