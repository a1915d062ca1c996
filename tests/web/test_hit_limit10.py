"""More listed names hit than the workspace gives one caller (`[screening] max_hits`, 10 by
default): the screening page asked for 21 to show 20 and say when more hit, the entity search
for 31 to show 30, but each was given at most `max_hits`. The page showed those, never
more, and never said the list was cut: the one cut off may be the one. It now shows what the
workspace allows and says when more names hit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from case_story import REPORTING, ok

NAMES = ["Abu Rusdan"] * 6  # six more listed men of the same name
#: exactly as many listed people of one name as a caller is given (3): a list not cut
EXACT = ["Kartosuwiryo Wiradinata"] * 3


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The story's workspace where one caller is given 3 hits at most, with six more listed
    names like the listed man's."""
    config = REPORTING + "\n[screening]\nmax_hits = 3\n"
    settings = prepare(tmp_path_factory.mktemp("web") / "home", None, config)
    path = settings.home.parent / "more.ftm.json"
    rows = [{"id": f"more-{n}", "schema": "Person", "properties": {"name": [name]}}
            for n, name in enumerate(NAMES + EXACT)]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ok(settings, "lists", "load", str(path), "--format", "ftm", "--name", "more")
    for _app, person in served(settings):
        yield person


def test_a_screening_cut_at_the_workspaces_limit_says_so(cut: Any) -> None:
    page = cut("ana").get("/ui/screening", params={"name": "Abu Rusdan"}).text
    assert len(re.findall(r'<section class="card hit">', page)) == 3
    assert "More names hit than the 3 shown" in page


def test_an_entity_search_cut_at_the_workspaces_limit_says_so(cut: Any) -> None:
    page = cut("ana").get("/ui/entities", params={"q": "Rusdan"}).text
    assert len(re.findall(r'href="/ui/entities/[^"]+"', page)) == 3
    assert "More names were found than the 3 shown" in page


def test_a_screening_with_exactly_the_limits_hits_is_not_said_cut(cut: Any) -> None:
    page = cut("ana").get("/ui/screening", params={"name": "Kartosuwiryo Wiradinata"}).text
    assert len(re.findall(r'<section class="card hit">', page)) == 3
    assert "More names hit" not in page


def test_an_entity_search_with_exactly_the_limits_hits_is_not_said_cut(cut: Any) -> None:
    page = cut("ana").get("/ui/entities", params={"q": "Kartosuwiryo Wiradinata"}).text
    assert len(re.findall(r'href="/ui/entities/[^"]+"', page)) == 3
    assert "More names were found" not in page
