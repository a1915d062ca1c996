"""Long results cut to a page (entity search, screening, an account's payments, a list's delta):
each says what it left out, and the entity search names its columns."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from case_story import ok
from jalur.web import pages

HIT = re.compile(r'<a href="/ui/entities/([^"]+)"')
NAMES = ["Abu Rusdani", "Abu Rusydan", "Abdul Rusdan"]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The story's workspace with a second list of names near the listed man's."""
    folder = tmp_path_factory.mktemp("web")
    settings = prepare(folder / "home")
    near = folder / "near.ftm.json"
    rows = [{"id": f"near-{n}", "schema": "Person", "properties": {"name": [name]}}
            for n, name in enumerate(NAMES)]  # fmt: skip
    near.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ok(settings, "lists", "load", str(near), "--format", "ftm", "--name", "near")
    for _app, person in served(settings):
        yield person


def test_a_search_cut_at_its_limit_says_more_were_found(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The search showed its best 30 and stopped, with nothing to say that more names were
    # found: an analyst took the 30 for all of them. Its table had no header either.
    ana = ui("ana")
    whole = ana.get("/ui/entities", params={"q": "abu rusdan"}).text
    found = HIT.findall(whole)
    assert len(found) >= 2, "the lists should give this search two hits or more"
    assert "<th>Name</th>" in whole and "<th>List</th>" in whole
    assert "More names were found" not in whole
    monkeypatch.setattr(pages, "ENTITY_HITS", 1)
    cut = ana.get("/ui/entities", params={"q": "abu rusdan"}).text
    assert HIT.findall(cut) == found[:1]
    assert "More names were found than the 1 shown" in cut


def test_a_screening_cut_at_its_limit_says_more_names_hit(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Screening showed its 20 best hits and no word of the others: a common name's 21st hit,
    # a listed man, was not on the officer's screen, nor any sign that it existed.
    ana = ui("ana")
    whole = ana.get("/ui/screening", params={"name": "Abu Rusdan"}).text
    found = HIT.findall(whole)
    assert len(found) >= 2, "the lists should give this name two hits or more"
    assert "More names hit" not in whole
    monkeypatch.setattr(pages, "SCREEN_HITS", 1)
    cut = ana.get("/ui/screening", params={"name": "Abu Rusdan"}).text
    assert HIT.findall(cut) == found[:1]
    assert "More names hit than the 1 shown" in cut


def test_an_account_with_more_payments_than_shown_says_so(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An account's page listed its first 200 payments and stopped without a word: the latest
    # payments of a busy account, the ones an alert is about, were simply not there.
    from jalur.web import views

    ana = ui("ana")
    whole = ana.get("/ui/accounts/ACC-MULE").text
    assert "T1" in whole and "T2" in whole and "More payments" not in whole
    monkeypatch.setattr(views, "ACCOUNT_PAYMENTS", 1)
    cut = ana.get("/ui/accounts/ACC-MULE").text
    assert ">T2<" in cut and ">T1<" not in cut  # the latest first
    assert "More payments than the 1 shown" in cut


def test_a_list_delta_longer_than_shown_says_how_many_are_not(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A list's last delta showed its first 200 entries of each kind and stopped; the rest of
    # a large update was not there, with nothing but the count in the heading to tell.
    ana = ui("ana")
    whole = ana.get("/ui/lists/near").text
    assert all(f"near-{n}" in whole for n in range(len(NAMES)))
    monkeypatch.setattr(pages, "DELTA_SHOWN", 1)
    cut = ana.get("/ui/lists/near").text
    assert sum(f">near-{n}<" in cut for n in range(len(NAMES))) == 1
    assert f"and {len(NAMES) - 1} more, not shown" in cut
