"""Two servers on one store: neither fails the other's live jobs when it starts.

Several `jalur serve` share one PostgreSQL store (each with a workspace of its own). Each
server starting failed every job still queued or running, so a second server started (or
restarted) in the middle of the day failed the first one's running list loads and batch
screenings, which went on running and were reported failed. A server now fails only the jobs
it left itself, and another server's once that server's heartbeat has lapsed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from jalur.api.jobs import LEASE_S, Jobs
from jalur.audit import entries
from jalur.canonical import iso
from jalur.config import Settings
from jalur.sqlstore import open_database, schema
from jalur.users import User

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ANA = User("ana", "analyst", "DEFAULT", False, iso(T0))


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _server(engine: Engine, name: str, at: datetime) -> Jobs:
    return Jobs(engine, server=name, clock=lambda: at, heartbeat_s=None)


def _left_by(engine: Engine, job_id: str, server: str | None, beat: datetime | None) -> None:
    """A job row as a server that stopped beating at `beat` leaves it."""
    with engine.begin() as con:
        con.execute(
            insert(schema.service_jobs).values(
                id=job_id, kind="lists.load", agency="DEFAULT", user_name="ana",
                status="running", progress="{}", created_at=iso(T0), server=server,
                heartbeat_at=iso(beat) if beat else None,
            )
        )  # fmt: skip


def _failures(engine: Engine) -> list[str | None]:
    with engine.connect() as con:
        return [e.object for e in entries(con) if e.action == "job.lists.load"]


def test_a_second_server_starting_leaves_the_first_ones_running_job_alone(
    engine: Engine,
) -> None:
    started, release = threading.Event(), threading.Event()

    def loading(_progress: Any) -> dict[str, Any]:
        started.set()
        release.wait(30)
        return {"loaded": 1}

    first = _server(engine, "host-a:/srv/fiu", T0)
    try:
        job = first.submit("lists.load", ANA, {}, loading)
        assert started.wait(30)
        second = _server(engine, "host-b:/srv/bnpt", T0 + timedelta(seconds=5))
        second.beat()
        second.close()
        found = first.get(job)
        assert found is not None and found["status"] == "running", found
        release.set()
        first.wait(job, 30)
        done = first.get(job)
        assert done is not None and done["status"] == "done"
    finally:
        release.set()
        first.close()
    assert _failures(engine) == []


def test_a_server_fails_its_own_left_jobs_and_anothers_only_once_its_heartbeat_lapsed(
    engine: Engine,
) -> None:
    _left_by(engine, "JOB-MINE", "host-a:/srv/fiu", T0)
    _left_by(engine, "JOB-LIVE", "host-b:/srv/bnpt", T0)
    _left_by(engine, "JOB-OLD", None, None)  # from before jobs named their server
    restarted = _server(engine, "host-a:/srv/fiu", T0 + timedelta(seconds=LEASE_S - 1))
    try:
        mine, live, old = (restarted.get(j) for j in ("JOB-MINE", "JOB-LIVE", "JOB-OLD"))
        assert mine is not None and mine["status"] == "failed"
        assert mine["error"].startswith("the service stopped while the job was running")
        assert live is not None and live["status"] == "running"
        assert old is not None and old["status"] == "failed"
        assert old["error"].startswith("the service stopped while the job was running")
    finally:
        restarted.close()
    assert sorted(_failures(engine)) == ["JOB-MINE", "JOB-OLD"]

    # host-b stops beating; host-a, still running, fails its job once the lease has passed
    later = _server(engine, "host-a:/srv/fiu", T0 + timedelta(seconds=LEASE_S + 1))
    try:
        later.beat()
        gone = later.get("JOB-LIVE")
        assert gone is not None and gone["status"] == "failed" and gone["finished_at"]
        assert gone["error"] == (
            "the server running it stopped answering while the job was running; nothing says "
            "it finished: start it again"
        )  # the client is not told the server's host and folder: the trail is
        later.beat()  # failed once, audited once
    finally:
        later.close()
    assert sorted(_failures(engine)) == ["JOB-LIVE", "JOB-MINE", "JOB-OLD"]
    with engine.connect() as con:
        [failed] = [e for e in entries(con) if e.object == "JOB-LIVE"]
    assert failed.details["server"] == "host-b:/srv/bnpt"
    assert failed.details["failed_by"] == "host-a:/srv/fiu"


def test_a_heartbeat_keeps_a_servers_jobs_alive_past_the_lease(engine: Engine) -> None:
    beating = _server(engine, "host-b:/srv/bnpt", T0 + timedelta(seconds=LEASE_S - 1))
    _left_by(engine, "JOB-BEATING", "host-b:/srv/bnpt", T0)  # submitted by host-b at T0
    beating.beat()  # host-b, running, renews it at LEASE_S - 1
    other = _server(engine, "host-a:/srv/fiu", T0 + timedelta(seconds=LEASE_S + 5))
    try:
        other.beat()
        found = other.get("JOB-BEATING")
        assert found is not None and found["status"] == "running", found
    finally:
        other.close()
        beating.close()
    assert _failures(engine) == []


def test_a_job_as_answered_names_no_server(engine: Engine) -> None:
    """`GET /v1/jobs/{id}` answers `Jobs.get`: with the heartbeat columns it told every
    client the host name and workspace folder of the server running the job."""
    jobs = _server(engine, "fiu-app-01:/srv/jalur/fiu", T0)
    try:
        job = jobs.submit("lists.load", ANA, {"file": "dttot.json"}, lambda _p: {"loaded": 1})
        jobs.wait(job, 30)
        found = jobs.get(job)
    finally:
        jobs.close()
    assert found is not None
    assert set(found) == {"id", "kind", "agency", "user_name", "status", "progress", "result",
                          "error", "created_at", "finished_at"}  # fmt: skip
    assert "fiu-app-01" not in str(found)
