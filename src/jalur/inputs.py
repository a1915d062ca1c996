"""What every file a third party wrote must be before jalur reads a byte of it.

A list, a payment file, a customer batch or a workbook comes from outside: its path is data
too. A FIFO, a device (`/dev/zero`, `/dev/urandom`) or a socket never ends, so a reader that
opens one waits forever or fills memory; only a regular file (or, where a format is a set of
files, a folder) ends. A workbook is a zip archive whose parts may expand a thousandfold (a
"zip bomb"): its declared sizes are checked before a part is inflated (Python's `zipfile`
stops a part at its declared size, so a lying header buys nothing).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

#: The most a workbook's parts may expand to, all together: above any customer or list
#: workbook (Excel's 1,048,576 rows of six short cells are about 300 MiB of XML), below what
#: takes minutes to read (openpyxl read a 1 GB sheet part for over a minute, measured).
MAX_WORKBOOK_BYTES = 512 << 20

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


def workbook_problem(path: Path) -> str | None:
    """Why the .xlsx workbook at `path` is not opened: its parts declare more than
    `MAX_WORKBOOK_BYTES` once inflated (None: a size a workbook can have, or not a zip at all,
    which the workbook reader refuses in its own words)."""
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
