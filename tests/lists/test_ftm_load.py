"""Loading FtM JSON lines: versions, deltas, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jalur.lists import ListLoadError, current_entities, last_delta, load_list
from jalur.store import Store


def _write(path: Path, entities: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n")
    return path


def _person(entity_id: str, name: str, **props: list[str]) -> dict[str, object]:
    return {"id": entity_id, "schema": "Person", "properties": {"name": [name], **props}}


def test_second_version_records_added_removed_changed(store: Store, tmp_path: Path) -> None:
    first = _write(tmp_path / "a.ftm.json", [_person("p1", "Abu Rusdan"), _person("p2", "X")])
    second = _write(
        tmp_path / "b.ftm.json",
        [_person("p1", "Abu Rusdan", birthDate=["1960"]), _person("p3", "Сыромолотов")],
    )
    load_list(store, first, "ftm", None)
    from jalur.lists import ParseOptions

    report = load_list(store, second, "ftm", ParseOptions(list_name="a"))
    assert (report.entities, report.added, report.removed, report.changed) == (2, 1, 1, 1)
    assert last_delta(store, "a") == {"added": ["p3"], "removed": ["p2"], "changed": ["p1"]}
    names = sorted(e.caption for e in current_entities(store))
    assert names == ["Abu Rusdan", "Сыромолотов"]


def test_bad_line_names_the_line_and_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    good = _write(tmp_path / "l.ftm.json", [_person("p1", "A")])
    load_list(store, good)
    bad = tmp_path / "l2.ftm.json"
    bad.write_text(json.dumps(_person("p9", "B")) + "\n{not json\n")
    with pytest.raises(ListLoadError, match="line 2"):
        load_list(store, bad, "ftm")
    assert [e.id for e in current_entities(store)] == ["p1"]


def test_one_id_on_a_person_and_a_company_is_refused_not_a_traceback(
    store: Store, tmp_path: Path
) -> None:
    """A file (or a partner's package) may give one id to two things FtM cannot merge."""
    path = tmp_path / "clash.ftm.json"
    person = {"id": "x1", "schema": "Person", "properties": {"name": ["A B"]}}
    company = {"id": "x1", "schema": "Company", "properties": {"name": ["A Co"]}}
    path.write_text(f"{json.dumps(person)}\n{json.dumps(company)}\n")
    with pytest.raises(ListLoadError, match=r"clash.ftm.json: entity x1: .*Person.*Company"):
        load_list(store, path, format="ftm")
