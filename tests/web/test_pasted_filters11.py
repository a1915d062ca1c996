"""An account number or a user name pasted into a filter with the spaces around it (from a
spreadsheet, an e-mail): the queue said "0 results" and the case list "Nothing here" for an
account with alerts and an analyst with cases, a clear answer that was wrong. The spaces
around a filter's value are not part of it.
"""

from __future__ import annotations

import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
COUNT = re.compile(r"<h1>[^<]*<small>([0-9.,]+)")


def _count(page: str) -> str:
    found = COUNT.search(page)
    assert found, "no count in the heading"
    return found.group(1)


def test_a_pasted_account_filters_the_queue_as_typed_without_its_spaces(ui: Any) -> None:
    ana = ui("ana")
    exact = _count(ana.get("/ui/alerts", params={"account": "ACC-DRUG"}).text)
    assert exact != "0"
    for pasted in (" ACC-DRUG ", "ACC-DRUG\t", "\nACC-DRUG"):
        page = ana.get("/ui/alerts", params={"account": pasted}).text
        assert _count(page) == exact, repr(pasted)
        assert 'name="account" maxlength="500" value="ACC-DRUG"' in page  # pager keeps it


def test_a_pasted_assignee_filters_the_case_list(ui: Any) -> None:
    ana = ui("ana")
    page = ana.get("/ui/alerts", params={"typology": "drug_exposure"}).text
    opened = ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {"assignee": "ana"})
    assert opened.status_code == 303
    exact = _count(ana.get("/ui/cases", params={"assignee": "ana"}).text)
    assert exact != "0"
    assert _count(ana.get("/ui/cases", params={"assignee": " ana "}).text) == exact
