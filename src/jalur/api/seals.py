"""The keys the audit trail's seals are checked with: this agency's, from its identity."""

from __future__ import annotations

from pathlib import Path

from jalur.chain import SealKey
from jalur.exchange import ExchangeError, load_identity


def seal_keys(home: Path) -> list[SealKey]:
    """Every key of the workspace's agency identity; none when the agency has no identity."""
    try:
        identity = load_identity(home)
    except ExchangeError:
        return []
    return [SealKey(k.key_id, k.sign_public, k.revoked_at) for k in identity.keys]
