"""Hostile input files for the tests of every reader (`test_hostile_*.py`)."""

from __future__ import annotations

import csv
import re
import struct
import zipfile
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


def forged_dimension(path: Path, rows: int) -> Path:
    """A workbook of `rows` customers whose sheet claims to span A1:XFD1048576 (16,384 columns
    by 1,048,576 rows), as a forged `<dimension>` does."""
    book = Workbook()
    book.active.append(["id", "name"])
    for number in range(1, rows + 1):
        book.active.append([str(number), f"Customer {number}"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
            target.writestr(info, data)
    return path


def workbook_directory_forged(path: Path, members: int) -> Path:
    """A small workbook whose zip end record states `members` parts (and a directory to
    match, 46 bytes a part), as a zip made to make `zipfile` parse a huge directory does."""
    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["1", "Ahmad Yani"])
    book.save(path)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HHL", data, end + 8, members & 0xFFFF, members & 0xFFFF, members * 46)
    path.write_bytes(bytes(data))
    return path
