"""List file formats: one parser module per official format, all returning `ParsedList`.

A parser is a pure function `(path, options) -> ParsedList`: it reads the file, builds
FollowTheMoney entities and raises `ListLoadError` naming the line or element at fault.
`detect_format` sniffs the first bytes so `jalur lists load PATH` needs no `--format`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import ftm
from jalur.lists.parsed import ParsedList


@dataclass(frozen=True)
class ParseOptions:
    """What a user may tell a parser beyond the file itself."""

    list_name: str | None = None  # override the list's name (e.g. a national list's code)
    mapping: Path | None = None  # column mapping for `csv`
    encoding: str | None = None  # explicit override for a mis-declared encoding


Parser = Callable[[Path, ParseOptions], ParsedList]

PARSERS: dict[str, Parser] = {
    "ftm": ftm.parse,
}


def detect_format(path: Path) -> str:
    """Guess the format from the file's first bytes (or the folder's files)."""
    if path.is_dir():
        raise ListLoadError(str(path), "path", "a folder: name its format with --format")
    head = path.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "ftm"
    raise ListLoadError(str(path), "start of file", "unknown list format: name it with --format")


def parser_for(name: str, path: Path) -> Parser:
    try:
        return PARSERS[name]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise ListLoadError(
            str(path), "--format", f"unknown format {name!r} (known: {known})"
        ) from None
