"""The reporting layer's public names, and that it stays below cases (imports jalur.model only)."""

from __future__ import annotations

import re
from pathlib import Path

import jalur.reporting

PACKAGE = Path(jalur.reporting.__file__).parent


def test_all_names_exist() -> None:
    assert [name for name in jalur.reporting.__all__ if not hasattr(jalur.reporting, name)] == []


def test_reporting_imports_only_the_shared_model() -> None:
    imported = set()
    for module in PACKAGE.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        imported |= set(re.findall(r"^\s*(?:from|import) (jalur\.\w+)", text, re.MULTILINE))
    assert imported <= {"jalur.model", "jalur.reporting"}
