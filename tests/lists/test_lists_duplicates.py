"""Two entries of one file under one id: merged, as FtM does, and named in a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from jalur.lists import load_list
from jalur.store import Store


def test_entries_merged_under_one_id_are_named(
    store: Store, fixtures: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A UN file giving two INDIVIDUALs one DATAID makes one party of two people; a count
    alone ("1 records merged") leaves the maintainer to search the file for which."""
    text = (fixtures / "un_sample.xml").read_text(encoding="utf-8")
    path = tmp_path / "dup.xml"
    path.write_text(text.replace("<DATAID>6908487</DATAID>", "<DATAID>113215</DATAID>"))
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        report = load_list(store, path, "un")
    assert (report.read, report.entities, report.duplicates) == (3, 2, 1)
    assert f"{path}: 1 record merged into another with the same id: un-sc-113215" in caplog.text
