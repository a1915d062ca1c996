"""A quote inside an unquoted field (`PT "MAJU JAYA`, common in core banking exports) is text
to the CSV reader, but the cutter counted it as opening a quoted field: every later line
break looked quoted, so the rest of the file became one block (memory no longer bounded by
the block size), and finding a cut walked back line by line, counting quotes from the block's
start each time (a 1 MB block took 6 s, a 4 MB one over two minutes: a 48 MB block never
finished). The cut is now found in one pass, and a buffer twice the block size without a cut
outside quotes is cut at its last line break (a block stays under three times the size);
each record still loads, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions.options import LoadOptions
from jalur.transactions.readers import csvfile

from .conftest import rows


def test_a_stray_quote_keeps_blocks_bounded_and_records_whole(
    store: Store, tmp_path: Path, load, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    lines = ["tx_id,timestamp,amount,currency,bene_name"]
    for number in range(1, 201):
        name = 'PT "MAJU JAYA' if number == 3 else f"Name {number}"
        lines.append(f"T{number},2024-03-15 08:30,{number},IDR,{name}")
    source = tmp_path / "export.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sizes: list[int] = []
    parse = csvfile.parse_block

    def spy(block: bytes, *args: object) -> object:
        sizes.append(len(block))
        return parse(block, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(csvfile, "parse_block", spy)
    counts = load(source, "csv", options=LoadOptions(block_bytes=500))
    assert (counts.read, counts.accepted) == (200, 200)
    assert max(sizes) < 3 * 500, sizes  # was one block of the whole rest of the file
    got = {r["tx_id"]: r for r in rows(store)}
    assert (got["T3"]["bene_name"], got["T3"]["source_position"]) == ('PT "MAJU JAYA', "line 4")
    assert got["T200"]["source_position"] == "line 201"


def test_a_quoted_line_break_is_still_never_cut(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    lines = ["tx_id,timestamp,amount,currency,bene_name"]
    for number in range(1, 101):
        lines.append(f'T{number},2024-03-15 08:30,{number},IDR,"Name\n{number}"')
    source = tmp_path / "export.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = load(source, "csv", options=LoadOptions(block_bytes=300))
    assert (counts.read, counts.accepted) == (100, 100)
    got = {r["tx_id"]: r for r in rows(store)}
    assert (got["T100"]["bene_name"], got["T100"]["source_position"]) == ("Name\n100", "line 200")
