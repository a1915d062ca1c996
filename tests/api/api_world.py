"""A served workspace for the API tests (the `world` fixture, see conftest.py), on SQLite and
on PostgreSQL.

The workspace is the cases tests' story (a terror list, payments, screening, a monitoring run),
built with real `jalur` commands and so owned by the installation's default agency. Its users:

    admin   admin       DEFAULT     (manages users and keys; sees no data)
    ana     analyst     DEFAULT
    sam     supervisor  DEFAULT
    sue     supervisor  DEFAULT
    eve     analyst     DEFAULT     holds the EGMONT caveat
    uno     analyst     DEFAULT     cleared UNCLASSIFIED only
    bob     analyst     BNN         cleared CONFIDENTIAL, holds EGMONT (another agency)
    bea     supervisor  BNN

One workspace per module and backend (building it runs the story's commands); tests that change
it open their own cases and lists.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from case_story import PAYMENTS, PW, REPORTING, ok, trace, write_list
from jalur.api import ServiceSettings, create_app
from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import add_user
from sql_backends import BACKENDS, _pg_url, pg_schema

with warnings.catch_warnings():  # starlette would rather have httpx2, which is not installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


USERS = [
    ("ana", "analyst", None, (), None),
    ("sam", "supervisor", None, (), None),
    ("sue", "supervisor", None, (), None),
    ("eve", "analyst", None, ("EGMONT",), None),
    ("bob", "analyst", "BNN", ("EGMONT",), "CONFIDENTIAL"),
    ("bea", "supervisor", "BNN", (), None),
]


@dataclass
class Clock:
    """The app's clock: tests move it forward to expire tokens without waiting."""

    now: datetime = field(default_factory=utcnow)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now = self.now + timedelta(seconds=seconds)


@dataclass
class World:
    settings: Settings
    client: TestClient
    clock: Clock
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who: str, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers=self.auth(who), **kw)

    def post(self, who: str, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers=self.auth(who), **kw)

    def sign_in(self, name: str, password: str = PW) -> Any:
        return self.client.post("/v1/auth/token", data={"username": name, "password": password})

    def wait(self, job_id: str) -> None:
        self.client.app.state.service.jobs.wait(job_id, timeout=300)  # type: ignore[attr-defined]


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    home = tmp_path_factory.mktemp("api") / "home"
    home.mkdir(mode=0o700)
    drop = None
    config = REPORTING
    if request.param == "postgresql":
        url, drop = pg_schema(_pg_url())
        config = f'[database]\nurl = "{url}"\n' + config
    (home / "jalur.toml").write_text(config, encoding="utf-8")
    settings = Settings.resolve(home)
    _build(settings)
    trace(settings)  # the traced channels the tracing routes serve
    _add_users(settings)
    clock = Clock()
    app = create_app(ServiceSettings.of(settings, clock=clock, max_upload_bytes=64 * 1024))
    try:
        with TestClient(app) as client:
            found = World(settings, client, clock, {})
            for name in ["admin", "uno", *[u[0] for u in USERS]]:
                answer = found.sign_in(name)
                assert answer.status_code == 200, answer.text
                found.tokens[name] = answer.json()["access_token"]
            key = found.post("admin", "/v1/apikeys", json={"label": "bank screening"})
            assert key.status_code == 201, key.text
            found.tokens["client"] = key.json()["key"]
            yield found
    finally:
        if drop is not None:
            drop()


def _build(settings: Settings) -> None:
    """The story of `case_story.build`, with the banks goAML needs named on each payment (so
    that an approved case can be reported)."""
    folder = settings.home.parent
    payments = folder / "payments.csv"
    with payments.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "orig_bank",
                      "orig_country", "bene_account", "bene_name", "bene_bank", "bene_country",
                      "amount", "currency", "channel"])  # fmt: skip
        for tx_id, day, orig, orig_name, bene, bene_name, amount in PAYMENTS:
            when = f"2025-03-{day:02d}T10:00:00Z"
            out.writerow([tx_id, when, orig, orig_name, "BRINIDJA", "ID", bene, bene_name,
                          "BMRIIDJA", "ID", amount, "IDR", "wire"])  # fmt: skip
    ok(settings, "lists", "load", str(write_list(folder)), "--format", "ftm", "--name", "dttot")
    ok(settings, "tx", "load", str(payments), "--format", "csv")
    ok(settings, "screen", "parties")
    drug = folder / "drug.txt"
    drug.write_text("ACC-DRUG\n", encoding="utf-8")
    ok(settings, "accounts", "flag", str(drug), "--topic", "drug", "--reason", "BNN case 7")
    ok(settings, "monitor", "run")


def _add_users(settings: Settings) -> None:
    engine = open_database(settings)
    try:
        admin = add_user(engine, None, "admin", "admin", PW)
        for name, role, agency, caveats, clearance in USERS:
            add_user(engine, admin, name, role, PW, agency, clearance, caveats)
        add_user(engine, admin, "uno", "analyst", PW, None, "UNCLASSIFIED")
    finally:
        engine.dispose()


def ftm_file(folder: Path, name: str, entity_id: str, person: str) -> Path:
    """A one-person FtM list file."""
    import json

    path = folder / f"{name}.ftm.json"
    row = {"id": entity_id, "schema": "Person",
           "properties": {"name": [person], "topics": ["crime.terror"]}}  # fmt: skip
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def open_on_alert(
    world: World,
    who: str,
    body: dict[str, Any],
    extra: list[dict[str, str]] | None = None,
    typology: str | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Open a case on the first alert (of `typology` first, when given) that no case of the
    agency works yet: one case per alert, and a module's tests share one world. The answer
    and the alert."""
    listed = []
    if typology:
        params = {"typology": typology, "limit": 1000}
        listed += world.get(who, "/v1/alerts", params=params).json()["alerts"]
    listed += world.get(who, "/v1/alerts", params={"limit": 1000}).json()["alerts"]
    for alert in listed:
        evidence = [{"kind": "alert", "ref": alert["alert_id"]}, *(extra or [])]
        answer = world.post(who, "/v1/cases", json={**body, "evidence": evidence})
        if answer.status_code != 409:
            return answer, alert
    raise AssertionError("every alert of the world is worked in a case already")
