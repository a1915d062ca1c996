"""The UI under a demanding user's odd requests: each is refused with a 4xx page, never a 500."""

from __future__ import annotations

from typing import Any


def test_an_alert_queue_offset_past_any_count_is_refused(ui: Any) -> None:
    ana = ui("ana")
    answer = ana.get("/ui/alerts", params={"offset": 10**20})
    assert answer.status_code == 422, answer.text
    assert ana.get("/ui/alerts", params={"offset": 10**9}).status_code == 200
