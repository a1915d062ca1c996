"""Hostile input files for the tests of every reader (`test_hostile_*.py`)."""

from __future__ import annotations

import csv
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook


def workbook_bomb(path: Path) -> Path:
    """A small workbook whose sheet part declares 3.75 GiB once inflated, as a zip bomb does
    (the sizes are patched in; nothing that large is ever written or read)."""
    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["1", "Ahmad Yani"])
    book.save(path)
    data = bytearray(path.read_bytes())
    part = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(part)] == part:
                struct.pack_into("<I", data, start + size_at, 0xF000_0000)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


@contextmanager
def csv_default_limit() -> Iterator[None]:
    """Python's own CSV cell limit (128 KiB) while the block runs: importing FollowTheMoney's
    statement module raises it to 30 MB for the whole process, so which one a reader meets
    depends on what was imported before (a hostile cell past either is the same case)."""
    before = csv.field_size_limit(131_072)
    try:
        yield
    finally:
        csv.field_size_limit(before)
