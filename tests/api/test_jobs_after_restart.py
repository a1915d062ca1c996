"""Jobs a stopped server left unfinished are failed, with the reason, when a server starts.

A job's work runs on a thread of the server that accepted it; its state is a row in the
transactional store. A server killed mid-job (or with jobs queued behind it) left those rows
`running` or `queued` for good: the client polling `GET /v1/jobs/{id}` waited forever, and
nothing said the load or run never finished.
"""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from jalur.api.jobs import Jobs
from jalur.audit import entries
from jalur.canonical import iso, utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database, schema
from jalur.users import User


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _left(engine: Engine, job_id: str, status: str) -> None:
    """A job row as a server killed at that moment leaves it."""
    with engine.begin() as con:
        con.execute(
            insert(schema.service_jobs).values(
                id=job_id, kind="lists.load", agency="DEFAULT", user_name="ana", status=status,
                progress="{}", created_at=iso(utcnow()),
            )
        )  # fmt: skip


def test_a_new_server_fails_the_jobs_the_stopped_one_left(engine: Engine) -> None:
    _left(engine, "JOB-RUNNING", "running")
    _left(engine, "JOB-QUEUED", "queued")
    _left(engine, "JOB-DONE", "done")
    jobs = Jobs(engine)
    try:
        for job_id, was in (("JOB-RUNNING", "running"), ("JOB-QUEUED", "queued")):
            found = jobs.get(job_id)
            assert found is not None
            assert found["status"] == "failed"
            assert found["finished_at"]
            assert found["error"] == (
                f"the service stopped while the job was {was}; nothing says it finished: "
                "start it again"
            )
        done = jobs.get("JOB-DONE")
        assert done is not None and done["status"] == "done"
        with engine.connect() as con:
            audited = [e.object for e in entries(con) if e.action == "job.lists.load"]
        assert sorted(audited) == ["JOB-QUEUED", "JOB-RUNNING"]
    finally:
        jobs.close()


def test_a_new_server_removes_the_uploads_its_failed_jobs_were_to_read(
    engine: Engine, tmp_path: Path
) -> None:
    """A list or payments file uploaded for a job the stopped server never finished: the job
    is failed (above), and its copy of the agency's file, which nothing will read now, went
    on lying in the system's temporary folder for good."""
    uploads = tmp_path / "uploads"
    left = uploads / "upload-4f0c2a"
    left.mkdir(parents=True)
    (left / "payments.csv").write_text("id,amount\n1,100\n", encoding="utf-8")
    other = uploads / "notes.txt"  # not an upload's folder: not the server's to remove
    other.write_text("kept", encoding="utf-8")
    jobs = Jobs(engine, uploads)
    try:
        assert not left.exists()
        assert other.read_text(encoding="utf-8") == "kept"
        folder = jobs.spool_folder()  # where the next upload waits for its job
        assert folder.parent == uploads
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        jobs.close()


def test_a_stopping_server_fails_its_queued_jobs_instead_of_running_them_first(
    engine: Engine,
) -> None:
    """A server asked to stop ran every queued job before it stopped (a queue of batch
    screenings: many minutes), until the service manager killed it halfway. It now finishes
    the job it is running and fails the queued ones, with the reason, as a restart would."""
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    user = User("ana", "analyst", "DEFAULT", False, iso(utcnow()))

    def running(_progress: Any) -> dict[str, Any]:
        started.set()
        release.wait(30)
        ran.append("running")
        return {"done": True}

    def queued(_progress: Any) -> dict[str, Any]:
        ran.append("queued")
        return {"done": True}

    jobs = Jobs(engine)
    first = jobs.submit("screen.batch", user, {}, running)
    second = jobs.submit("screen.batch", user, {}, queued)
    assert started.wait(30)
    stopping = threading.Thread(target=jobs.close)
    stopping.start()
    while stopping.is_alive() and jobs.get(second)["status"] == "queued":  # type: ignore[index]
        stopping.join(0.01)
    release.set()
    stopping.join()

    assert ran == ["running"]
    assert jobs.get(first)["status"] == "done"  # type: ignore[index]
    left = jobs.get(second)
    assert left is not None and left["status"] == "failed" and left["finished_at"]
    assert left["error"] == (
        "the service stopped before the job started; nothing of it was done: start it again"
    )
    with engine.connect() as con:
        audited = [e.object for e in entries(con) if e.action == "job.screen.batch"]
    assert audited == [second]
