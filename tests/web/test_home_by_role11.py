"""Where a user lands: the first page their role may read.

`/ui`, `/` and a sign-in with nowhere to go back to all went to the alert queue, which a client
(who may only screen names) and an admin (who may only manage users and read the audit trail)
may not read: each sign-in ended on a refusal page, and the refusal went into the audit trail
as an access refused. Each now lands on a page of their own.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("name", "home"),
    [("ana", "/ui/alerts"), ("aud", "/ui/alerts"), ("cli", "/ui/screening"),
     ("admin", "/ui/audit")],
)  # fmt: skip
def test_a_user_lands_on_a_page_their_role_may_read(ui: Any, name: str, home: str) -> None:
    person = ui(name)
    for start in ("/", "/ui", "/ui/"):
        landed = person.get(start, follow_redirects=True)
        assert landed.status_code == 200, (start, landed.text)
        assert landed.url.path == home, start


def test_signing_in_with_nowhere_to_go_back_lands_on_the_users_page(ui: Any) -> None:
    cli = ui("cli")
    cli.post("/ui/sign-out", {})
    answer = cli.sign_in("cli")
    assert answer.status_code == 303
    landed = cli.get(answer.headers["location"], follow_redirects=True)
    assert landed.status_code == 200 and landed.url.path == "/ui/screening"


def test_the_brand_link_goes_to_the_users_own_page(ui: Any) -> None:
    page = ui("cli").get("/ui/screening").text
    assert '<a class="brand" href="/ui/">' in page
    assert 'href="/ui/alerts"' not in page  # nothing the client may not open is offered
