"""A list value far longer than any real one (a 200,000-character "name") is a problem naming
the entry, as an overlong payment text is: it was stored, indexed and screened. A list
version is loaded whole or not at all, so the file is refused, every problem named in one
run; the entries around it are read (their own problems named too)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jalur.lists import ListLoadError, ParseOptions, current_versions, load_list
from jalur.store import Store

HUGE = "A" * 200_000
HEADER = "Nama,Deskripsi,Terduga,Kode Densus,Tempat/Tgl Lahir,WN,Alamat\n"


def test_a_dttot_name_of_200000_characters_is_named_with_its_row(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text(
        HEADER
        + "ABU BAKAR,x,Orang,D-1,,WNI,\n"
        + f"{HUGE},x,Orang,D-2,,WNI,\n"  # line 3
        + ",x,Orang,D-3,,WNI,\n"  # line 4: read on, its own problem named
        + f"{'A' * 4000},x,Orang,D-4,,WNI,\n",  # at the bound: fine
        encoding="utf-8",
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, options=ParseOptions(mapping=Path("dttot")))
    assert refused.value.problems == [
        ("line 3", "column 'Nama' is 200,000 characters long, more than 4,000"),
        ("line 4", "entry without a name"),
    ]
    assert current_versions(store) == []


def test_an_overlong_un_name_is_named_with_its_entry(
    fixtures: Path, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "un.xml"
    text = (fixtures / "un_sample.xml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("<FIRST_NAME>ABU</FIRST_NAME>", f"<FIRST_NAME>{HUGE}</FIRST_NAME>")
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, format="un")
    ((where, why),) = refused.value.problems
    assert where.startswith("<INDIVIDUAL> at line ") and ", DATAID " in where
    assert re.fullmatch(r"name is 200,0\d\d characters long, more than 4,000", why), why
    assert current_versions(store) == []


def test_an_overlong_ftm_value_is_named_with_its_line(tmp_path: Path, store: Store) -> None:
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["Abu Bakar"]}}
    bad = {"id": "p2", "schema": "Person", "properties": {"name": ["B"], "notes": [HUGE]}}
    path = tmp_path / "partner.json"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(
        ListLoadError, match=r"line 2, p2: notes is 200,000 characters long, more than 4,000$"
    ):
        load_list(store, path, format="ftm")


def test_an_overlong_list_id_is_cut_in_the_place_that_names_it(
    fixtures: Path, tmp_path: Path, store: Store
) -> None:
    """A 100,000-digit DATAID is refused (the ids made of it are overlong), but the message
    named the entry by the whole id: 100,000 digits on the terminal for one problem."""
    path = tmp_path / "un.xml"
    text = (fixtures / "un_sample.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("<DATAID>113215</DATAID>", f"<DATAID>{'9' * 100_000}</DATAID>"))
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, format="un")
    ((where, _),) = refused.value.problems
    assert where == f"<INDIVIDUAL> at line 6, DATAID {'9' * 40}…"
