"""Background jobs: list loads, batch screenings and monitoring runs asked for over the API.

A job is a row in the transactional store (kind, owning agency, who asked, status, progress,
result or error), so its state survives the request that started it and any server process can
answer for it. The work runs on one worker thread inside the server (the one writer of the
analytical store, see `analytic`); the request returns the job's id at once (202).
Statuses: queued → running → done | failed. A job's error is the capability's own message.

Several servers may share one PostgreSQL store (each on a workspace of its own). A job row
names its server and carries that server's heartbeat (renewed every `HEARTBEAT_S`): a server
starting fails the unfinished jobs it left itself, and another server's only once their
heartbeat is older than `LEASE_S` (that server is gone); a running server fails such orphans
as it beats. Before, each server starting failed every other server's running jobs.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, insert, or_, select, update

from jalur.api.errors import ApiError, as_api_error
from jalur.audit import append, record
from jalur.canonical import iso, utcnow
from jalur.config import private_dir
from jalur.sqlstore import schema
from jalur.users import User

log = logging.getLogger(__name__)
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

#: The workspace's folder of the uploads waiting for their jobs.
UPLOADS = "uploads"
#: The prefix of an upload's folder in `Jobs.uploads` (what a starting server removes).
_UPLOAD = "upload-"

#: How often a server renews the heartbeat of its unfinished jobs (seconds).
HEARTBEAT_S = 30.0
#: How old a job's heartbeat may grow before another server takes its server for gone.
LEASE_S = 120

Progress = Callable[[dict[str, Any]], None]
Work = Callable[[Progress], dict[str, Any]]


class Jobs:
    """Runs jobs one at a time on a worker thread and records their state in the SQL store."""

    def __init__(
        self,
        engine: Engine,
        uploads: Path | None = None,
        *,
        server: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        heartbeat_s: float | None = HEARTBEAT_S,
    ) -> None:
        """`uploads`: the workspace's folder for the copies of uploaded files that queued jobs
        read (None: the system's temporary folder, for tests of jobs without uploads).
        `server`: who this server is among those sharing the store (`server_name`), the same
        after a restart; `heartbeat_s` None: no heartbeat thread (tests call `beat`)."""
        self.engine = engine
        self.uploads = uploads
        self.server = (server or server_name(uploads))[:200]
        self.clock = clock
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jalur-job")
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._fail_left(own_too=True)
        self._remove_left_uploads()
        self._beating: threading.Thread | None = None
        if heartbeat_s is not None:
            self._beating = threading.Thread(
                target=self._beat_every, args=(heartbeat_s,), name="jalur-job-heartbeat",
                daemon=True,
            )  # fmt: skip
            self._beating.start()

    def spool_folder(self) -> Path:
        """A new private folder for one upload's copy, which its job removes when done."""
        if self.uploads is None:
            return Path(tempfile.mkdtemp(prefix="jalur-" + _UPLOAD))
        private_dir(self.uploads)
        return Path(tempfile.mkdtemp(prefix=_UPLOAD, dir=self.uploads))

    def _remove_left_uploads(self) -> None:
        """The copies a stopped server's queued and running jobs were to read: those jobs were
        just failed, so nothing will ever read them (and in the system's temporary folder,
        where they were kept before, they stayed for good: lists and payments of an agency)."""
        if self.uploads is None or not self.uploads.is_dir():
            return
        for left in self.uploads.iterdir():
            if left.name.startswith(_UPLOAD) and left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)

    def beat(self) -> None:
        """Renew the heartbeat of this server's unfinished jobs, and fail other servers'
        jobs whose heartbeat lapsed (their server is gone)."""
        jobs = schema.service_jobs
        with self.engine.begin() as con:
            con.execute(
                update(jobs)
                .where(jobs.c.server == self.server, jobs.c.status.in_((QUEUED, RUNNING)))
                .values(heartbeat_at=iso(self.clock()))
            )
        self._fail_left(own_too=False)

    def _beat_every(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                self.beat()
            except Exception:  # a store away for a moment: the next beat tries again
                log.exception("job heartbeat failed")

    def _fail_left(self, own_too: bool) -> None:
        """Fail the unfinished jobs no thread runs any more, with the reason, audited as a
        failed job is: at start, the ones this server left (its thread died with it); at
        any time, another server's whose heartbeat is older than `LEASE_S`, and those of
        a server from before jobs had one. Each is failed by one statement that checks it is
        still unfinished and still lapsed, so two servers never fail (and audit) it twice
        and a job renewed meanwhile is left alone."""
        for job_id, kind, user, was, server in self._left(own_too):
            if server in (self.server, None):  # None: a job from before servers were named
                message = (
                    f"the service stopped while the job was {was}; nothing says it finished: "
                    "start it again"
                )
            else:
                message = (  # which server is for the trail, not for the job's client
                    f"the server running it stopped answering while the job was {was}; "
                    "nothing says it finished: start it again"
                )
            self._fail_if_left(job_id, kind, user, message, own_too, server)

    def _lapsed(self, own_too: bool) -> ColumnElement[bool]:
        jobs = schema.service_jobs
        since = iso(self.clock() - timedelta(seconds=LEASE_S))
        gone = or_(jobs.c.server.is_(None), jobs.c.heartbeat_at.is_(None),
                   jobs.c.heartbeat_at < since)  # fmt: skip
        if own_too:
            return or_(jobs.c.server == self.server, gone)
        return and_(or_(jobs.c.server.is_(None), jobs.c.server != self.server), gone)

    def _left(self, own_too: bool) -> list[Any]:
        jobs = schema.service_jobs
        with self.engine.connect() as con:
            return list(
                con.execute(
                    select(jobs.c.id, jobs.c.kind, jobs.c.user_name, jobs.c.status,
                           jobs.c.server)
                    .where(jobs.c.status.in_((QUEUED, RUNNING)), self._lapsed(own_too))
                    .order_by(jobs.c.created_at)
                ).all()
            )  # fmt: skip

    def _fail_if_left(
        self, job_id: str, kind: str, user: str, message: str, own: bool, server: str | None
    ) -> None:
        jobs = schema.service_jobs
        with self.engine.begin() as con:
            done = con.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.status.in_((QUEUED, RUNNING)),
                       self._lapsed(own))
                .values(status=FAILED, error=message, finished_at=iso(utcnow()))
            )  # fmt: skip
            if done.rowcount == 1:
                append(con, user, f"job.{kind}", job_id, {"error": message, "server": server,
                                                          "failed_by": self.server})  # fmt: skip

    def submit(self, kind: str, user: User, details: dict[str, Any], work: Work) -> str:
        """Queue `work` for `user`'s agency; returns the job id."""
        job_id = "JOB-" + uuid.uuid4().hex[:12].upper()
        with self.engine.begin() as con:
            con.execute(
                insert(schema.service_jobs).values(
                    id=job_id, kind=kind, agency=user.agency or "DEFAULT", user_name=user.name,
                    status=QUEUED, progress=json.dumps(details), created_at=iso(utcnow()),
                    server=self.server, heartbeat_at=iso(self.clock()),
                )
            )  # fmt: skip
        future = self._pool.submit(self._run, job_id, kind, user, work)
        with self._lock:
            self._futures[job_id] = future
        return job_id

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job has finished (tests and the demo; routes never wait)."""
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout)

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job as its client is told it: without its server and heartbeat (the host name
        and workspace folder of a server are not a client's business)."""
        jobs = schema.service_jobs
        shown = [c for c in jobs.c if c.name not in ("server", "heartbeat_at")]
        with self.engine.connect() as con:
            row = con.execute(select(*shown).where(jobs.c.id == job_id)).first()
        if row is None:
            return None
        found = dict(row._mapping)
        found["progress"] = json.loads(found["progress"])
        found["result"] = json.loads(found["result"]) if found["result"] else None
        return found

    def close(self) -> None:
        """Finish the job that is running; fail the queued ones, with the reason, audited.

        A stopping server that ran its whole queue first held the stop for as long as the
        queue (batch screenings: minutes each) until the service manager killed it halfway;
        a queued job is failed as a restart would fail it, and is started again by whoever
        asked for it. What the failed jobs' uploads were is removed once nothing runs."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            unstarted = [job_id for job_id, f in self._futures.items() if f.cancelled()]
        for job_id in unstarted:
            self._fail_unstarted(job_id)
        self._pool.shutdown(wait=True)
        if self._beating is not None:
            self._beating.join()
        self._remove_left_uploads()

    def _fail_unstarted(self, job_id: str) -> None:
        message = (
            "the service stopped before the job started; nothing of it was done: start it again"
        )
        jobs = schema.service_jobs
        with self.engine.begin() as con:
            found = con.execute(
                select(jobs.c.kind, jobs.c.user_name)
                .where(jobs.c.id == job_id, jobs.c.status == QUEUED)
                .with_for_update()
            ).first()
            if found is None:
                return
            con.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(status=FAILED, error=message, finished_at=iso(utcnow()))
            )
            append(con, found.user_name, f"job.{found.kind}", job_id, {"error": message})

    def _run(self, job_id: str, kind: str, user: User, work: Work) -> None:
        self._set(job_id, status=RUNNING)

        def progress(state: dict[str, Any]) -> None:
            self._set(job_id, progress=json.dumps(state, default=str))

        try:
            result = work(progress)
        except Exception as exc:  # a job's failure is its state, not the worker's death
            known = exc if isinstance(exc, ApiError) else as_api_error(exc)
            message = known.detail if known else "the job failed; the error is logged"
            if known is None:
                log.exception("job %s (%s) failed", job_id, kind)
            self._set(job_id, status=FAILED, error=message, finished_at=iso(utcnow()))
            record(self.engine, user.name, f"job.{kind}", job_id, {"error": message})
            return
        self._set(
            job_id, status=DONE, result=json.dumps(result, default=str),
            finished_at=iso(utcnow()),
        )  # fmt: skip

    def _set(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as con:
            con.execute(
                update(schema.service_jobs)
                .where(schema.service_jobs.c.id == job_id)
                .values(**values)
            )


def server_name(uploads: Path | None) -> str:
    """Who a server is among those sharing a store: its host and workspace (one server per
    workspace, which owns its analytical file), so a restart knows its own jobs again."""
    return f"{socket.gethostname()}:{uploads.parent if uploads else '-'}"
