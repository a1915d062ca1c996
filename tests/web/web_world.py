"""A served workspace for the web UI's tests: the cases tests' story (a terror list, payments
from a drug-flagged account through a mule to a listed man, screening, a monitoring run, a
traced channel), `[reporting]` for goAML, and people of two agencies:

    admin  admin       DEFAULT   (sees no data)
    ana    analyst     DEFAULT
    sam    supervisor  DEFAULT
    bob    analyst     BNN       (another agency: must see nothing of DEFAULT's)
    aud    auditor     DEFAULT   (reads cases, data and the audit trail; works nothing)
    cli    client      DEFAULT   (screens names, and nothing else)

`prepare(home)` builds it with real `jalur` commands; the page tests serve it with TestClient,
the browser test with uvicorn.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from case_story import PAYMENTS, PW, REPORTING, ok, trace, write_list
from jalur.api import ServiceSettings, create_app
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import add_user

with warnings.catch_warnings():  # starlette would rather have httpx2, which is not installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

USERS = [("ana", "analyst", None), ("sam", "supervisor", None), ("bob", "analyst", "BNN"),
         ("aud", "auditor", None), ("cli", "client", None)]  # fmt: skip
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def prepare(
    home: Path, database_url: str | None = None, reporting: str = REPORTING, purpose: str = ""
) -> Settings:
    """The story's workspace in `home` (made here), with reporting settings and the users.

    `reporting`: the `[reporting]` section (another FIU's profile); `purpose`: what each payment
    says it is for, which some FIUs require of every reported transaction."""
    home.mkdir(mode=0o700)
    config = f'[database]\nurl = "{database_url}"\n' if database_url else ""
    (home / "jalur.toml").write_text(config + reporting, encoding="utf-8")
    settings = Settings.resolve(home)
    _build(settings, purpose)
    trace(settings)
    engine = open_database(settings)
    try:
        admin = add_user(engine, None, "admin", "admin", PW)
        for name, role, agency in USERS:
            add_user(engine, admin, name, role, PW, agency)
    finally:
        engine.dispose()
    return settings


def _build(settings: Settings, purpose: str) -> None:
    """The story of `case_story.build`, with the banks goAML needs named on each payment."""
    folder = settings.home.parent
    payments = folder / "payments.csv"
    with payments.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "orig_bank",
                      "orig_country", "bene_account", "bene_name", "bene_bank", "bene_country",
                      "amount", "currency", "channel", "purpose"])  # fmt: skip
        for tx_id, day, orig, orig_name, bene, bene_name, amount in PAYMENTS:
            when = f"2025-03-{day:02d}T10:00:00Z"
            out.writerow([tx_id, when, orig, orig_name, "BRINIDJA", "ID", bene, bene_name,
                          "BMRIIDJA", "ID", amount, "IDR", "wire", purpose])  # fmt: skip
    ok(settings, "lists", "load", str(write_list(folder)), "--format", "ftm", "--name", "dttot")
    ok(settings, "tx", "load", str(payments), "--format", "csv")
    ok(settings, "screen", "parties")
    drug = folder / "drug.txt"
    drug.write_text("ACC-DRUG\n", encoding="utf-8")
    ok(settings, "accounts", "flag", str(drug), "--topic", "drug", "--reason", "BNN case 7")
    ok(settings, "monitor", "run")


@dataclass
class Browser:
    """One person's TestClient with its own cookie jar."""

    client: TestClient

    def sign_in(self, name: str, password: str = PW) -> Any:
        form = self.client.get("/ui/sign-in")
        token = _CSRF.search(form.text)
        assert token, form.text
        return self.client.post(
            "/ui/sign-in",
            data={"username": name, "password": password, "csrf": token.group(1), "next": ""},
            follow_redirects=False,
        )

    def csrf(self, url: str = "/ui/alerts") -> str:
        found = _CSRF.search(self.client.get(url).text)
        assert found, f"no CSRF token on {url}"
        return found.group(1)

    def post(self, url: str, data: dict[str, str], csrf_from: str = "/ui/alerts") -> Any:
        return self.client.post(
            url, data={"csrf": self.csrf(csrf_from), **data}, follow_redirects=False
        )

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)


def served(settings: Settings) -> Iterator[Any]:
    """The app on the workspace, and a signed-in `Browser` per user (made as asked)."""
    app = create_app(ServiceSettings.of(settings))
    with TestClient(app, base_url="http://testserver") as first:
        people: dict[str, Browser] = {}

        def person(name: str) -> Browser:
            if name not in people:
                client = first if not people else TestClient(app, base_url="http://testserver")
                people[name] = Browser(client)
                answer = people[name].sign_in(name)
                assert answer.status_code == 303, answer.text
            return people[name]

        yield app, person
