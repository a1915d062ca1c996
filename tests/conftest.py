"""Shared fixtures: an empty in-memory store, and the third-party data beside the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jalur.store import Store
from shared_folder import require_shared_data

pytest_plugins = ["sql_backends"]  # `sql_settings`: a workspace on SQLite and on PostgreSQL


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as opened:
        yield opened


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` (real third-party files): skips without it, but fails in CI."""
    return require_shared_data()
