"""Where the real third-party test data lives, and what its absence means (skip or fail)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def in_ci() -> bool:
    """Whether a CI runner runs the suite (runners set `CI`, e.g. `CI=true`)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_shared_data(folder: Path | None = None) -> Path:
    """`folder` when it is there. Without it a developer's run skips the tests that need it;
    CI always has it beside the clone, so there its absence fails them: some 70 tests
    skipping silently would hide every regression they guard."""
    folder = folder or SHARED_DATA
    if folder.is_dir():
        return folder
    missing = f"../shared/data is not beside the project ({folder})"
    if in_ci():
        pytest.fail(f"{missing}, but CI={os.environ['CI']!r}: CI must run with it", pytrace=False)
    pytest.skip(missing)
