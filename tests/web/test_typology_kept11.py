"""A queue filtered by a typology none of the runs the user sees has (a bookmark from before a
run was replaced, a link from another agency's analyst): the queue said "0 results" under a
typology menu showing "any", so the analyst read that no alert at all was waiting; the pager
carried the hidden filter on. The menu now shows the typology filtered by, marked as one
with no alerts."""

from __future__ import annotations

import re
from typing import Any


def test_a_typology_with_no_alerts_is_shown_as_the_filter(ui: Any) -> None:
    page = ui("ana").get("/ui/alerts", params={"typology": "hawala <b>"}).text
    menu = page.split('name="typology"')[1].split("</select>")[0]
    chosen = re.findall(r"<option([^>]*)>([^<]*)</option>", menu)
    selected = [(attrs, text) for attrs, text in chosen if "selected" in attrs]
    assert len(selected) == 1, chosen
    attrs, text = selected[0]
    assert 'value="hawala &lt;b&gt;"' in attrs and "hawala &lt;b&gt;" in text
    assert "no alerts" in text
