"""Exchange's canonical JSON: the workspace-wide one in `jalur.canonical` (kept for imports),
and `loads` for JSON that comes from outside."""

from __future__ import annotations

import json
import re
from typing import Any

from jalur.canonical import b64, canonical, iso, parse_iso, sha256_hex, unb64, utcnow

__all__ = ["b64", "canonical", "iso", "loads", "parse_iso", "sha256_hex", "unb64", "utcnow"]

#: A `\uD800`–`\uDFFF` escape: half of a pair, or (alone) no character at all.
_SURROGATE_TEXT = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def loads(data: str | bytes) -> Any:
    """`json.loads` for a partner's bytes, as JSON (RFC 8259) of Unicode text, or a
    `JSONDecodeError` like any other malformed JSON, so every caller's refusal catches it:

    - nesting deeper than the parser's recursion (a few kilobytes of `[[[…`), once a
      RecursionError traceback;
    - `NaN` and `Infinity`, which Python reads but JSON does not have;
    - an escaped lone surrogate (`"\\ud800"`), no character at all: it parsed, then failed
      the database's JSON column mid-import.
    """
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise json.JSONDecodeError("JSON nested too deeply", "", 0) from None
    pattern = _SURROGATE_BYTES if isinstance(data, bytes) else _SURROGATE_TEXT
    if pattern.search(data):  # type: ignore[arg-type]
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise json.JSONDecodeError("a lone surrogate is no character", "", 0) from None
    return value


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", "", 0)
