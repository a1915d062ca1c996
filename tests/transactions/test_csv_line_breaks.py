"""A CSV whose first line is not a line: classic Mac OS line breaks (CR only, Excel's "CSV
(Macintosh)") ended the load in a `_csv.Error` traceback, and a file without a line break
was read whole into memory as its header. Both are refused with the file and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError
from jalur.transactions.readers import csvfile


def test_cr_only_line_breaks_are_refused_clearly(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "mac.csv"
    source.write_bytes(
        b"tx_id,timestamp,amount,currency\rT1,2024-03-15 08:30,1.5,IDR\rT2,2024-03-15 08:30,2,IDR\r"
    )
    with pytest.raises(TransactionLoadError) as caught:
        load(source, "csv")
    assert str(caught.value) == (
        f"{source}: line 1: its lines end in CR alone (classic Mac OS): save it with LF or "
        "CRLF line breaks"
    )


def test_a_header_without_a_line_break_is_not_read_whole(
    store: Store, tmp_path: Path, load, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(csvfile, "MAX_HEADER_BYTES", 1000)
    source = tmp_path / "one-line.csv"
    source.write_bytes(b"tx_id," + b"x" * 5000)
    with pytest.raises(TransactionLoadError) as caught:
        load(source, "csv")
    assert str(caught.value) == (
        f"{source}: line 1: no line break in the first 1,000 bytes: not a CSV header"
    )
