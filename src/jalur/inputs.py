"""What every file a third party wrote must be before jalur reads a byte of it.

A list, a payment file, a customer batch or a workbook comes from outside: its path is data
too. A FIFO, a device (`/dev/zero`, `/dev/urandom`) or a socket never ends, so a reader that
opens one waits forever or fills memory; only a regular file (or, where a format is a set of
files, a folder) ends. A workbook is a zip archive whose parts may expand a thousandfold (a
"zip bomb"): its declared sizes are checked before a part is inflated (Python's `zipfile`
stops a part at its declared size, so a lying header buys nothing).
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

#: The most a workbook's parts may expand to, all together: above any customer or list
#: workbook (Excel's 1,048,576 rows of six short cells are about 300 MiB of XML), below what
#: takes minutes to read (openpyxl read a 1 GB sheet part for over a minute, measured).
MAX_WORKBOOK_BYTES = 512 << 20
#: The most members and central-directory bytes a workbook may state: `zipfile` parses the
#: whole directory before any check of ours can run (200,000 members took 1.9 s and 94 MB),
#: and a workbook of many sheets and pictures holds a few hundred.
MAX_WORKBOOK_MEMBERS = 10_000
MAX_WORKBOOK_DIRECTORY = 2 << 20
#: What openpyxl raises on a workbook it cannot read, opening it or reading its rows (a sheet's
#: XML is parsed only as its rows are read). `SyntaxError` covers the XML parsers' errors
#: (ElementTree's and lxml's): a part cut short, or entity amplification refused; `zipfile`
#: raises `RuntimeError` for an encrypted part, `NotImplementedError` for Deflate64 or an
#: unknown method, `zlib.error` and `EOFError` for a scrambled or cut deflate stream.
UNREADABLE_WORKBOOK = (
    zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, RuntimeError,
    NotImplementedError, zlib.error, EOFError,
)  # fmt: skip

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
#: How far from a zip's end its end records can lie (a comment is at most 64 KiB).
ZIP_TAIL = _END.size + (1 << 16) + _END64_LOCATOR.size + _END64.size

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_problem(path: Path, folder_ok: bool = False) -> str | None:
    """Why `path` cannot be read as an input file (None: a regular file, or a folder where
    `folder_ok`). A missing path is left to the caller, which names it in its own words."""
    try:
        mode = path.stat().st_mode  # stat, unlike open, never blocks on a FIFO
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or (folder_ok and stat.S_ISDIR(mode)):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    kind = next((name for check, name in _KINDS if check(mode)), "not a regular file")
    return f"{kind}, not a regular file: its input might never end, so it is not read"


def path_text(path: Path) -> str:
    """`path` as text that can be stored and shown: a name that is not UTF-8 (a Latin-1 name
    from a Windows share) has its other bytes written out (`Daftar\\xe9.xlsx`); databases and
    JSON refuse the name Python made of it."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def path_name_problem(path: Path) -> str | None:
    """Why a reader that opens paths as UTF-8 (pyarrow, DuckDB) cannot open `path`: a name in
    other bytes ended in a UnicodeEncodeError traceback. None when the name is UTF-8."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not UTF-8: rename the file and run again"
    return None


def zip_directory(tail: bytes) -> tuple[int, int] | None:
    """The member count and central-directory size a zip's end records state, read from the
    zip's last `ZIP_TAIL` bytes (or all of it) before `zipfile` parses that directory; None
    when there is no end record (not a zip).

    The records are found as `zipfile` finds them (the end record at the very end, else the
    last one within a comment's reach; a Zip64 record just before it), and the larger of the
    two records' figures is kept: `zipfile` reads members until the stated size is used up,
    whatever the count says, so a caller bounds both.
    """
    at = _end_record(tail)
    if at is None:
        return None
    _, _, _, _, members, size, _, _ = _END.unpack_from(tail, at)
    locator = at - _END64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        start = locator - _END64.size
        if start >= 0 and tail[start : start + 4] == b"PK\x06\x06":
            fields = _END64.unpack_from(tail, start)
            members, size = max(members, fields[7]), max(size, fields[8])
    return members, size


def _end_record(payload: bytes) -> int | None:
    tail = len(payload) - _END.size
    if tail >= 0 and payload[tail : tail + 4] == b"PK\x05\x06" and payload[-2:] == b"\0\0":
        return tail
    found = payload.rfind(b"PK\x05\x06", max(tail - (1 << 16), 0))
    return found if 0 <= found <= tail else None


def _file_tail(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(handle.tell() - ZIP_TAIL, 0))
        return handle.read()


def workbook_problem(path: Path) -> str | None:
    """Why the .xlsx workbook at `path` is not opened: its central directory states more
    members or bytes than a workbook has (checked before `zipfile` parses it), or its parts
    declare more than `MAX_WORKBOOK_BYTES` once inflated (None: a size a workbook can have,
    or not a zip at all, which the workbook reader refuses in its own words)."""
    try:
        directory = zip_directory(_file_tail(path))
    except OSError:
        return None
    if directory is not None and (
        directory[0] > MAX_WORKBOOK_MEMBERS or directory[1] > MAX_WORKBOOK_DIRECTORY
    ):
        return (
            f"the workbook's zip directory lists {directory[0]:,} parts in {directory[1]:,} "
            f"bytes, more than a workbook has ({MAX_WORKBOOK_MEMBERS:,} parts, "
            f"{MAX_WORKBOOK_DIRECTORY >> 20} MiB): save the sheet as CSV"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if total > MAX_WORKBOOK_BYTES:
        return (
            f"the workbook expands to {total / (1 << 20):,.0f} MiB, more than "
            f"{MAX_WORKBOOK_BYTES >> 20:,} MiB (a zip bomb, or far larger than any list of "
            "customers): save the sheet as CSV"
        )
    return None


#: The legacy encodings a file refused as UTF-8 is most likely in, with the words that name
#: them: Windows Cyrillic (1C and a Russian Excel save it) and Windows Western (the rest).
LEGACY_ENCODINGS = {"cp1251": "Windows Cyrillic", "cp1252": "Windows Western"}


def likely_legacy_encoding(line: bytes) -> tuple[str, str]:
    """The legacy encoding a line's bytes are most likely in, and its name, for the advice
    on a file that is not UTF-8. Russian words are runs of bytes above 0x7F (every Cyrillic
    letter is one in cp1251); a Western text has them one at a time between ASCII letters
    (`Müller`, `Société`): advising cp1252 for a Cyrillic file screens mojibake."""
    high = [i for i, byte in enumerate(line) if byte > 0x7F]
    paired = sum(1 for i in high if i + 1 in high or i - 1 in high)
    codec = "cp1251" if high and paired * 2 >= len(high) else "cp1252"
    return codec, LEGACY_ENCODINGS[codec]


#: First bytes of files that are no text, with what they are: given as a customer file, each
#: was refused as "not valid UTF-8", with advice to read it as cp1251 or cp1252.
BINARY_STARTS = (
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PAR1", "a Parquet file"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


def binary_kind(path: Path) -> str | None:
    """What a file that is no text is (`a PDF document`), from its first bytes; None for any
    other file (a text file in any encoding, a workbook, which its readers take)."""
    with path.open("rb") as handle:
        start = handle.read(8)
    return next((kind for magic, kind in BINARY_STARTS if start.startswith(magic)), None)
