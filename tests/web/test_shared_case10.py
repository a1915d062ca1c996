"""A case shared with another agency to read, as that agency's analyst sees it.

A share lets a partner read a case, not work it (only the owning agency assigns, adds evidence,
proposes, comments, reports). The partner's case page offered every form all the same, and
each one, filled in and sent, was refused: the page now offers none of them and says whose case
it is to work.
"""

from __future__ import annotations

import re
from typing import Any

from case_story import PW

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
WORK = ("assign", "add", "propose", "comment", "approve", "return", "report")


def _shared_case(ui: Any) -> str:
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = str(ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])
    token = ana.client.post("/v1/auth/token", data={"username": "ana", "password": PW})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    share = {"kind": "case", "ref": case.rsplit("/", 1)[1], "agency": "BNN"}
    assert ana.client.post("/v1/shares", json=share, headers=bearer).status_code == 200
    return case


def test_a_case_shared_to_read_offers_its_reader_no_work(ui: Any) -> None:
    case = _shared_case(ui)
    page = ui("bob").get(case)
    assert page.status_code == 200
    posted = re.findall(rf'action="{re.escape(case)}/(\w+)"', page.text)
    assert [p for p in posted if p in WORK] == []
    assert "DEFAULT" in page.text and "BNN" in page.text  # whose it is, and who reads it
    owner = ui("ana").get(case).text  # the owner's analyst still works it
    assert {"assign", "add", "propose", "comment"} <= set(
        re.findall(rf'action="{re.escape(case)}/(\w+)"', owner)
    )
