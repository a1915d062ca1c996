"""A list file is loaded whole or not at all (versions must be complete), but one run names
every problem of the file, so a list with five bad rows needs one correction, not five reruns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jalur.lists import ListLoadError, ParseOptions, current_versions, load_list
from jalur.lists.errors import MAX_PROBLEMS
from jalur.store import Store

HEADER = "Nama,Deskripsi,Terduga,Kode Densus,Tempat/Tgl Lahir,WN,Alamat\n"
GOOD = "A B,x,Orang,D-{n},,WNI,\n"


def test_every_bad_dttot_row_is_named_in_one_run(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text(
        HEADER
        + GOOD.format(n=1)
        + ",x,Orang,D-2,,WNI,\n"  # line 3: no name
        + GOOD.format(n=3)
        + "E F,x,Orang,D-4,,WNI,,extra\n"  # line 5: a cell beyond the header
        + "G H,x,Korporasi,D-1,,WNI,\n"  # line 6: D-1 again, now an organisation
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, options=ParseOptions(mapping=Path("dttot")))
    text = str(refused.value)
    assert "3 problems" in text
    assert "line 3: entry without a name" in text
    assert "line 5: expected 7 columns, found 8" in text
    assert "line 6: repeats the id" in text
    assert [p[0] for p in refused.value.problems] == ["line 3", "line 5", "line 6"]
    assert current_versions(store) == []


def test_problems_beyond_the_cap_are_counted(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text(HEADER + ",x,Orang,,,WNI,\n" * (MAX_PROBLEMS + 7))
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, options=ParseOptions(mapping=Path("dttot")))
    assert f"{MAX_PROBLEMS + 7} problems" in str(refused.value)
    assert "and 7 more" in str(refused.value)
    assert len(refused.value.problems) == MAX_PROBLEMS


def test_one_problem_reads_as_before(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text(HEADER + ",x,Orang,D-2,,WNI,\n")
    with pytest.raises(ListLoadError, match=r"dttot.csv: line 2: entry without a name$"):
        load_list(store, path, options=ParseOptions(mapping=Path("dttot")))


def test_every_bad_ftm_line_is_named(tmp_path: Path, store: Store) -> None:
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}
    path = tmp_path / "partner.json"
    path.write_text(
        "\n".join([json.dumps(good), "{not json", json.dumps({"id": "x"}), json.dumps(good), "[1]"])
        + "\n"
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, format="ftm")
    assert [p[0] for p in refused.value.problems] == ["line 2", "line 3", "line 5"]
    assert current_versions(store) == []


def test_every_unmergeable_id_is_named(tmp_path: Path, store: Store) -> None:
    lines = [
        {"id": "a", "schema": "Person", "properties": {"name": ["A"]}},
        {"id": "a", "schema": "Vessel", "properties": {"name": ["A"]}},
        {"id": "b", "schema": "Person", "properties": {"name": ["B"]}},
        {"id": "b", "schema": "Airplane", "properties": {"name": ["B"]}},
    ]
    path = tmp_path / "partner.json"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, format="ftm")
    assert [p[0] for p in refused.value.problems] == ["entity a", "entity b"]
