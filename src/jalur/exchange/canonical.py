"""Exchange's canonical JSON: the workspace-wide one in `jalur.canonical` (kept for imports),
and `loads` for JSON that comes from outside."""

from __future__ import annotations

import json
from typing import Any

from jalur.canonical import b64, canonical, iso, parse_iso, sha256_hex, unb64, utcnow

__all__ = ["b64", "canonical", "iso", "loads", "parse_iso", "sha256_hex", "unb64", "utcnow"]


def loads(data: str | bytes) -> Any:
    """`json.loads` for a partner's bytes: nesting deeper than the parser's recursion (a few
    kilobytes of `[[[…`) is a `JSONDecodeError` like any other malformed JSON, so every caller's
    refusal catches it, rather than a RecursionError escaping as a traceback."""
    try:
        return json.loads(data)
    except RecursionError:
        raise json.JSONDecodeError("JSON nested too deeply", "", 0) from None
