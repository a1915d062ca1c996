"""The listed subjects of a UN snapshot, by entity id (shared by the UN alias tests)."""

from __future__ import annotations

from pathlib import Path

from followthemoney.proxy import EntityProxy

from jalur.lists import ParseOptions
from jalur.lists.formats import un
from jalur.lists.parsed import is_subject

LATEST = "consolidated_2026-02-27.xml"


def un_subjects(path: Path) -> dict[str, EntityProxy]:
    parsed = un.parse(path, ParseOptions())
    return {str(e.id): e for e in parsed.entities if is_subject(e)}
