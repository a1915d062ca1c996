"""What the cases tests share: the operational database, on each backend `sql_settings` names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from jalur.config import Settings
from jalur.sqlstore import open_database


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()
