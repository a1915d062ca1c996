"""What a screen reader's user hears on the alert queue and the menu.

Every row of the queue ended in a button called "Open a case": listing the page's buttons (a
screen reader's usual way through a form-heavy page) gave fifty buttons of the same name, none
saying which alert it works. And the menu did not say which of its pages is the one shown.
"""

from __future__ import annotations

import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_each_open_a_case_button_names_its_alert(ui: Any) -> None:
    page = ui("ana").get("/ui/alerts").text
    names = re.findall(r'<button [^>]*aria-label="([^"]*)"[^>]*>Open a case</button>', page)
    alerts = ALERT.findall(page)
    assert len(names) == len(alerts) > 1
    assert [n.split()[-1] for n in names] == alerts and all(
        n.startswith("Open a case") for n in names
    )


def test_the_menu_says_which_page_is_shown(ui: Any) -> None:
    ana = ui("ana")
    for url, label in (("/ui/alerts", "Alert queue"), ("/ui/cases", "Cases"),
                       ("/ui/lists/dttot", "Lists"), ("/ui/screening", "Screening")):  # fmt: skip
        menu = re.search(r"<header.*?</nav>", ana.get(url).text, re.S)
        assert menu
        current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', menu.group(0))
        assert current == [label], url


def test_every_column_of_the_evidence_table_has_a_heading(ui: Any) -> None:
    # The case's evidence table began with a blank heading: a screen reader read the kind of
    # each piece of evidence under no column name.
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text)[0]
    case = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"]).split("?")[0]
    page = ana.get(case).text
    for head in re.findall(r"<thead>(.*?)</thead>", page, re.S):
        assert all(
            re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
        ), head
