"""Shared fixtures: an empty in-memory store, and the third-party data beside the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jalur.store import Store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as opened:
        yield opened


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` (real third-party files); tests that need it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA
