"""What an entity search was made against. A user of an agency that sees no list was told "No
hits." for every name, as a search that found nothing is; a query of spaces alone was
"searched" and came back "No hits." too. The page now says that nothing was searched, and
why, as the screening page does.
"""

from __future__ import annotations

from typing import Any


def test_an_entity_search_with_no_list_to_search_says_so(ui: Any) -> None:
    theirs = ui("bob").get("/ui/entities", params={"q": "Abu Rusdan"})
    assert theirs.status_code == 200
    assert "No hits." not in theirs.text
    assert 'id="no-lists"' in theirs.text and 'role="alert"' in theirs.text
    assert 'id="no-lists"' not in ui("bob").get("/ui/entities").text  # nothing asked yet


def test_an_entity_search_names_the_lists_it_searched(ui: Any) -> None:
    ours = ui("ana").get("/ui/entities", params={"q": "Zzyzx Qwerty"}).text
    assert "No hits." in ours and 'id="searched-in"' in ours and "dttot" in ours


def test_a_query_of_spaces_is_no_search(ui: Any) -> None:
    page = ui("ana").get("/ui/entities", params={"q": "   "})
    assert page.status_code == 200
    assert "No hits." not in page.text and 'id="searched-in"' not in page.text
