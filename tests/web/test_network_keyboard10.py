"""The network view without a mouse: the graph is a canvas (Cytoscape), which a keyboard or a
screen reader cannot enter, so the accounts on the paths of the money listed beside it were the
only way in, and they were plain text. Each is now a link to its account, and the canvas says
what it is (`role="img"` with a label)."""

from __future__ import annotations

import re
from typing import Any

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_the_paths_of_the_money_link_their_accounts(ui: Any) -> None:
    ana = ui("ana")
    alert = ALERT.findall(ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text)[0]
    case = str(ana.post(f"/ui/alerts/{alert}/case", {}).headers["location"]).split("?")[0]
    page = ana.get(f"{case}/network").text
    paths = re.search(r'<ol class="paths">(.*?)</ol>', page, re.S)
    assert paths and "ACC-" in paths.group(1)
    named = set(re.findall(r"\bACC-[A-Z]+\b", re.sub(r"<[^>]+>", " ", paths.group(1))))
    linked = set(re.findall(r'href="/ui/accounts/(ACC-[A-Z]+)"', paths.group(1)))
    assert named and linked == named
    assert re.search(r'<div id="network"[^>]*role="img"[^>]*aria-label="[^"]+"', page)
