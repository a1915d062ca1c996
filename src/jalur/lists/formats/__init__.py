"""List file formats: one parser module per official format, all returning `ParsedList`.

A parser is a pure function `(path, options) -> ParsedList`: it reads the file, builds
FollowTheMoney entities and raises `ListLoadError` naming the line or element at fault.
`detect_format` sniffs the first bytes (or a folder's files) so `jalur lists load PATH` rarely
needs `--format`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jalur.lists.errors import ListLoadError
from jalur.lists.formats import csv_mapped, eu, ftm, ofac_csv, ofac_xml, uk, un
from jalur.lists.formats._xml import root_tag
from jalur.lists.parsed import ParsedList


@dataclass(frozen=True)
class ParseOptions:
    """What a user may tell a parser beyond the file itself."""

    list_name: str | None = None  # override the list's name (e.g. a national list's code)
    mapping: Path | None = None  # column mapping for `csv` (a file, or a shipped name: dttot)
    encoding: str | None = None  # explicit override for a mis-declared encoding


Parser = Callable[[Path, ParseOptions], ParsedList]


def _ofac(path: Path, options: ParseOptions) -> ParsedList:
    """`--format ofac` takes either OFAC publication: the XML, or the CSV set (folder/.csv)."""
    if path.is_dir() or path.suffix.lower() == ".csv":
        return ofac_csv.parse(path, options)
    return ofac_xml.parse(path, options)


PARSERS: dict[str, Parser] = {
    "csv": csv_mapped.parse,
    "eu": eu.parse,
    "ftm": ftm.parse,
    "ofac": _ofac,
    "ofac-csv": ofac_csv.parse,
    "uk": uk.parse,
    "un": un.parse,
}

#: Root element of each official XML format.
_XML_ROOTS = {
    "CONSOLIDATED_LIST": "un",
    "sdnList": "ofac",
    "export": "eu",
    "ArrayOfFinancialSanctionsTarget": "uk",
}
_OFAC_CSV_NAMES = {name for names in ofac_csv.FILE_SETS for name in names}


def detect_format(path: Path) -> str:
    """Guess the format from the file's first bytes (or the folder's files)."""
    if path.is_dir():
        if any((path / names[0]).is_file() for names in ofac_csv.FILE_SETS):
            return "ofac-csv"
        raise ListLoadError(str(path), "path", "a folder without an OFAC CSV set: name --format")
    if path.name.lower() in _OFAC_CSV_NAMES:
        return "ofac-csv"
    head = path.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "ftm"
    if head.startswith(b"<"):
        tag = root_tag(path)
        if tag in _XML_ROOTS:
            return _XML_ROOTS[tag]
        raise ListLoadError(str(path), "root element", f"unknown XML list <{tag}>: name --format")
    first = head.split(b"\n", 2)
    text = b"\n".join(first[:2]).decode("utf-8", errors="replace").lower()
    if text.startswith("last updated,") or ("group id" in text and "name 6" in text):
        return "uk"
    raise ListLoadError(
        str(path),
        "start of file",
        "unknown list format: name it with --format (a national CSV list needs "
        "--format csv --mapping NAME|FILE)",
    )


def parser_for(name: str, path: Path) -> Parser:
    try:
        return PARSERS[name]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise ListLoadError(
            str(path), "--format", f"unknown format {name!r} (known: {known})"
        ) from None
