"""Fixtures for the watchlist tests: small fixture files, bundled data, shared snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from un_parsed import LATEST, un_subjects

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(__file__).resolve().parents[2] / "src" / "jalur" / "lists" / "bundled"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def bundled() -> Path:
    return BUNDLED


@pytest.fixture(scope="session")
def lists_data(shared_data: Path) -> Path:
    return shared_data / "lists"


@pytest.fixture(scope="session")
def latest(lists_data: Path) -> dict[str, EntityProxy]:
    """The subjects of the latest UN snapshot, parsed once for all UN alias tests."""
    return un_subjects(lists_data / "un" / LATEST)
