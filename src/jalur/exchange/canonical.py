"""Exchange's canonical JSON: the workspace-wide one in `jalur.canonical` (kept for imports)."""

from __future__ import annotations

from jalur.canonical import b64, canonical, iso, parse_iso, sha256_hex, unb64, utcnow

__all__ = ["b64", "canonical", "iso", "parse_iso", "sha256_hex", "unb64", "utcnow"]
