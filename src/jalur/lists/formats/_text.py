"""Reading a list file's bytes as text: declared or overridden encoding, errors by line.

Official lists are re-saved by hand more often than one would hope (a UN file "declaring UTF-8"
but holding Latin-1 bytes is a real case). Decoding strictly up front, before any parsing, lets
the error name the exact line and byte instead of a parser's downstream complaint.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from jalur.lists.errors import ListLoadError

log = logging.getLogger(__name__)

_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: C0 control characters that XML 1.0 forbids; only replaced when the user overrides encoding.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListLoadError(str(path), "file", f"cannot read: {exc.strerror}") from exc


def declared_encoding(data: bytes) -> str | None:
    found = _DECLARED.match(data.lstrip(b"\xef\xbb\xbf")[:200])
    return found.group(1).decode("ascii") if found else None


def decode(source: str, data: bytes, encoding: str | None, default: str = "utf-8") -> str:
    """Decode strictly; an explicit `encoding` (the user's override) wins over the file's claim."""
    chosen = encoding or default
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise ListLoadError(source, "--encoding", f"unknown encoding {chosen!r}") from None
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        hint = "" if encoding else " (if the file is in another encoding, pass --encoding)"
        raise ListLoadError(
            source, f"line {line}", f"not valid {chosen}: byte 0x{byte} {exc.reason}{hint}"
        ) from None
    text = text.lstrip("\ufeff")
    if encoding:
        lines = _lines_of(_FORBIDDEN, text)
        text, replaced = _FORBIDDEN.subn("\ufffd", text)
        if replaced:
            log.warning(
                "%s: replaced %d control characters (%s) after decoding as %s",
                source,
                replaced,
                lines,
                encoding,
            )
    return text


#: How many lines a warning about replaced characters names; the count is always complete.
_NAMED_LINES = 10


def _lines_of(pattern: re.Pattern[str], text: str) -> str:
    """The lines where `pattern` matches ("line 3", "lines 3, 9 and 4 more"): the warning
    names where the file was changed, so the maintainer can find the entries."""
    found: list[int] = []
    line, at = 1, 0
    for match in pattern.finditer(text):  # in order: count the newlines once, as we pass them
        line += text.count("\n", at, match.start())
        at = match.start()
        if not found or found[-1] != line:
            found.append(line)
    named = ", ".join(str(line) for line in found[:_NAMED_LINES])
    more = f" and {len(found) - _NAMED_LINES} more" if len(found) > _NAMED_LINES else ""
    return f"line{'s' if len(found) > 1 else ''} {named}{more}"
