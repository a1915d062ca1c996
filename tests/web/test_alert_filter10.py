"""The alert queue's filter form and pager, as a browser sends them.

A browser sends every field of a GET form, an empty number field as `min_score=`: the queue
refused that as "not a valid number" (422), so Filter with no minimum score, and every Next
and Previous link (which carried `min_score=` too), ended on a refusal page.
"""

from __future__ import annotations

import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_an_empty_minimum_score_is_no_minimum(ui: Any) -> None:
    ana = ui("ana")
    every = ALERT.findall(ana.get("/ui/alerts").text)
    sent = {"typology": "", "account": "", "min_score": "", "sort": "-score"}
    answer = ana.get("/ui/alerts", params=sent)
    assert answer.status_code == 200
    assert ALERT.findall(answer.text) == every
    terror = ana.get("/ui/alerts", params={**sent, "typology": "terror_exposure"})
    assert terror.status_code == 200 and 0 < len(ALERT.findall(terror.text)) < len(every)
    high = ana.get("/ui/alerts", params={**sent, "min_score": " 0.9 "})
    assert high.status_code == 200
    refused = ana.get("/ui/alerts", params={**sent, "min_score": "high"})
    assert refused.status_code == 400 and "high" in refused.text and "0 to 1" in refused.text
    assert ana.get("/ui/alerts", params={**sent, "min_score": "1.5"}).status_code == 400
    assert ana.get("/ui/alerts", params={**sent, "min_score": "nan"}).status_code == 400
