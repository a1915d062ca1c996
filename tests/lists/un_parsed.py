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


def un_subjects_of_text(folder: Path, xml: str) -> dict[str, EntityProxy]:
    """`un_subjects` of an inline UN XML document (written to `folder`)."""
    path = folder / "un.xml"
    path.write_text(xml, encoding="utf-8")
    return un_subjects(path)
