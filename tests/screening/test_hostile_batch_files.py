"""Customer and decision files from a hostile or careless source: inputs that never end,
unreadable headers, Parquet columns that are no text, workbook bombs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jalur.screening import BatchInputError, screen_file
from jalur.screening.decisions import DecisionError, read_clearings


def _no_hits(queries: list[Any]) -> list[list[dict[str, Any]]]:
    return [[] for _ in queries]


def test_a_device_given_as_the_customer_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="a character device, not a regular file"):
        screen_file(_no_hits, Path("/dev/null"), tmp_path / "hits.csv")


def test_a_device_given_as_the_clearings_file_is_refused() -> None:
    with pytest.raises(DecisionError, match="a character device, not a regular file"):
        list(read_clearings(Path("/dev/null")))
