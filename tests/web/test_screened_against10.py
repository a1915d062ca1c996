"""What a screening was made against. "No hits." said nothing of the lists searched: for a user
of an agency that sees no list (none of its own, none shared) every name came back "No hits.",
a clear result that was no screening at all. The page now names the lists screened, and says
plainly when there were none.
"""

from __future__ import annotations

from typing import Any


def test_a_screening_names_its_lists_and_none_is_not_no_hits(ui: Any) -> None:
    ours = ui("ana").get("/ui/screening", params={"name": "Zzyzx Qwerty"}).text
    assert "No hits." in ours and 'id="screened-against"' in ours and "dttot" in ours
    theirs = ui("bob").get("/ui/screening", params={"name": "Abu Rusdan"})
    assert theirs.status_code == 200
    assert "No hits." not in theirs.text
    assert 'id="no-lists"' in theirs.text and 'role="alert"' in theirs.text
    assert 'id="no-lists"' not in ui("bob").get("/ui/screening").text  # nothing asked yet
