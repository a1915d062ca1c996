"""Small helpers for the transactions tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import load_transactions


def rows(store: Store, where: str = "true") -> list[dict[str, object]]:
    cursor = store.execute(f"SELECT * FROM transactions WHERE {where} ORDER BY tx_id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def quarantined(store: Store) -> list[tuple[str, str]]:
    return store.execute(
        "SELECT source_position, reason FROM tx_quarantine ORDER BY source_position"
    ).fetchall()


@pytest.fixture
def load(store: Store):  # type: ignore[no-untyped-def]
    def run(path: Path, fmt: str, **kwargs):  # type: ignore[no-untyped-def]
        counts = load_transactions(store, path, fmt, **kwargs)
        assert counts.read == counts.accepted + counts.rejected + counts.duplicates
        return counts

    return run
