"""A plain FtM file may carry an `exchange` provenance (a list exported with `jalur lists
export` carries its partners' provenance): it was kept as it stood, so a local file could pose
as a partner's data received through `jalur exchange import`. It is kept (its originators'
consent is still asked: the safe direction) but marked as the file's statement, which the
file cannot write itself, and every refusal and consent names it so."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from jalur.lists import OnwardCheck, OnwardRefusedError, current_entity_data, load_list
from jalur.lists.onward import STATED_IN_FILE
from jalur.store import Store


def _file(path: Path, provenance: object) -> Path:
    row = {"id": "p1", "schema": "Person", "properties": {"name": ["Hendra Kurniawan"]},
           "exchange": provenance}  # fmt: skip
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def _stored(store: Store) -> dict[str, object]:
    [(_, data)] = list(current_entity_data(store))
    found: dict[str, object] = json.loads(data)["exchange"]
    return found


def test_a_files_provenance_is_marked_as_the_files(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    claim = {"agency": "PPATK", "partner": "ppatk", "package_id": "forged",
             STATED_IN_FILE: ""}  # fmt: skip
    with caplog.at_level(logging.WARNING):
        load_list(store, _file(tmp_path / "local.ftm.json", claim), "ftm", None)
    stored = _stored(store)
    assert stored[STATED_IN_FILE] == "local.ftm.json"
    assert stored["agency"] == "PPATK"
    assert "local.ftm.json" in caplog.text and "1 entity" in caplog.text


def test_the_claimed_originator_is_asked_and_named_as_the_files(
    store: Store, tmp_path: Path
) -> None:
    load_list(store, _file(tmp_path / "local.ftm.json", {"agency": "PPATK"}), "ftm", None)
    check = OnwardCheck("BNPT", {})
    for list_name, data in current_entity_data(store):
        check.note(list_name, data)
    with pytest.raises(OnwardRefusedError, match=r"PPATK \(as list file local.ftm.json states\)"):
        check.released([])
    released = check.released(["ppatk=letter 4 March"])
    assert released.consents == {"PPATK (as list file local.ftm.json states)": "letter 4 March"}


def test_a_provenance_that_is_no_object_is_dropped_and_named(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        load_list(store, _file(tmp_path / "odd.ftm.json", "PPATK"), "ftm", None)
    [(_, data)] = list(current_entity_data(store))
    assert "exchange" not in json.loads(data)
    assert "odd.ftm.json" in caplog.text and "'PPATK'" in caplog.text
