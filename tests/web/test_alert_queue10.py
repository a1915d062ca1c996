"""The alert queue reads what its page shows: one page of alerts (counted in SQL) and, for the
alerts on it, the cases already opened on them.

It read every visible case's full details (timeline, evidence, files) to find the case opened on
each alert: with thousands of cases, every page of the queue (and every alert's page) grew
slower with each case opened. The cases are now found for the page's alerts alone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from jalur import cases

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
CASE_LINK = re.compile(r'href="/ui/cases/(CASE-[^"/]+)"')


def test_the_queue_and_an_alert_read_no_case_in_full(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    alert, other = ALERT.findall(page)[:2]
    case = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"]).rsplit("/", 1)[1]
    read: list[str] = []
    whole = cases.case_details

    def counted(engine: Any, case_id: str) -> Any:
        read.append(case_id)
        return whole(engine, case_id)

    monkeypatch.setattr(cases, "case_details", counted)
    queue = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    row = re.search(rf"{alert}.*?</tr>", queue, re.S)
    assert row and CASE_LINK.findall(row.group(0)) == [case]  # its row links its case
    unworked = re.search(rf"{other}.*?</tr>", queue, re.S)
    assert unworked and "Open a case" in unworked.group(0)
    assert case in CASE_LINK.findall(ana.get(f"/ui/alerts/{alert}").text)
    assert read == []  # no case was read whole to find them
    assert case not in ui("bob").get("/ui/alerts").text


def test_an_account_and_an_entity_find_their_cases_without_reading_every_case(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The account's and the listed person's pages list the cases that cite them: found by
    # reading every visible case in full, as the queue did.
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    alert = ALERT.findall(page)[0]
    opened = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"])
    case = opened.rsplit("/", 1)[1]
    read: list[str] = []
    whole = cases.case_details

    def counted(engine: Any, case_id: str) -> Any:
        read.append(case_id)
        return whole(engine, case_id)

    monkeypatch.setattr(cases, "case_details", counted)
    # the mule's account is in the case as a payment's payer; the listed man as a subject
    assert case in CASE_LINK.findall(ana.get("/ui/accounts/ACC-MULE").text)
    assert case in CASE_LINK.findall(ana.get("/ui/entities/dttot-rusdan").text)
    assert read == []
    assert "CASE-" not in ana.get("/ui/accounts/ACC-NOWHERE").text
