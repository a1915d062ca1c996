"""A list name is a label in the store and part of a file name (fetch): it must be neither a
path nor hide text."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from jalur.lists import ListLoadError, ParseOptions, current_versions, load_entities, load_list
from jalur.lists.fetch import ListSource, fetch_list
from jalur.store import Store

BAD = [
    ("../evil", "path separator"),
    ("a/b", "path separator"),
    ("a\\b", "path separator"),
    (".hidden", "starts with a dot"),
    ("un-sc\x1b[2K", "control character"),
    ("un-sc\u202egnp.exe", "control character"),
    ("a\nb", "control character"),
    ("", "empty"),
    ("  ", "empty"),
    (" un-sc", "space"),
    ("x" * 101, "longer than 100"),
]


def _template_csv(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text("id,type,name,aliases,birth_date,birth_place,nationality\n1,person,A B,,,,\n")
    return path


@pytest.mark.parametrize(("name", "reason"), BAD)
def test_a_bad_list_name_is_refused_with_the_reason(
    tmp_path: Path, store: Store, name: str, reason: str
) -> None:
    options = ParseOptions(mapping=Path("template"), list_name=name)
    with pytest.raises(ListLoadError, match=reason) as refused:
        load_list(store, _template_csv(tmp_path), options=options)
    assert refused.value.location == "list name"
    assert current_versions(store) == []


@pytest.mark.parametrize(("name", "reason"), BAD[:3])
def test_entities_from_elsewhere_are_refused_under_a_bad_name(
    store: Store, name: str, reason: str
) -> None:
    with pytest.raises(ListLoadError, match=reason):
        load_entities(store, name, [], source="a partner's package")


def test_fetch_refuses_a_name_that_would_be_a_path_before_downloading(
    tmp_path: Path, store: Store
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"downloaded {request.url}")

    source = ListSource("../../outside", "http://127.0.0.1:9/x.csv", "csv", "template")
    with pytest.raises(ListLoadError, match="path separator"):
        fetch_list(store, source, tmp_path / "lists", httpx.MockTransport(refuse))
    assert not any(tmp_path.rglob("*"))


@pytest.mark.parametrize(
    "name", ["un-sc", "id-dttot", "rosfin-exchange", "national_2024.v2", "ДТТОТ"]
)  # `exchange-…` is a partner's watchlist: test_lists_reserved_names.py
def test_ordinary_names_load(tmp_path: Path, store: Store, name: str) -> None:
    options = ParseOptions(mapping=Path("template"), list_name=name)
    assert load_list(store, _template_csv(tmp_path), options=options).list == name
