"""The server owns the workspace's DuckDB file: a monitoring run (a server job) completes while
users read alerts, and the readers get answers, not errors; a `jalur` command on the same
workspace meanwhile is refused with a clear message instead of a lock trace."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from api_world import World

import jalur.monitoring

READS_INSIDE = 5


def test_readers_get_answers_while_a_run_writes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = threading.Semaphore(0)
    inside = threading.Event()
    real = jalur.monitoring.monitor

    def held_open(store: Any, *args: Any, **kwargs: Any) -> Any:
        """The real run, its transaction kept open until readers have read inside it."""
        with store.transaction():
            report = real(store, *args, **kwargs)
            inside.set()
            for _ in range(READS_INSIDE):
                assert reads.acquire(timeout=120), "the readers stopped reading"
        return report

    monkeypatch.setattr(jalur.monitoring, "monitor", held_open)
    before = world.get("ana", "/v1/alerts").json()["total"]
    started = world.post("ana", "/v1/monitoring/runs", json={})
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    answers: list[int] = []
    done = threading.Event()

    def read() -> None:
        inside.wait(timeout=300)  # the run has written, not committed
        while not done.is_set():
            answer = world.get("sam", "/v1/alerts", params={"limit": 5})
            answers.append(answer.status_code)
            assert answer.json()["total"] >= before
            reads.release()

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        world.wait(job_id)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    job = world.get("ana", f"/v1/jobs/{job_id}").json()
    assert job["status"] == "done", job
    assert len(answers) >= READS_INSIDE and set(answers) == {200}
    run_id = job["result"]["run_id"]
    assert world.get("ana", "/v1/alerts", params={"run_id": run_id}).json()["total"] > 0
    assert world.get("bob", "/v1/alerts", params={"run_id": run_id}).json()["total"] == 0


def test_a_command_on_the_served_workspace_is_refused_clearly(world: World) -> None:
    src = Path(jalur.monitoring.__file__).parents[2]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", "from jalur.cli import main; main()",
         "--home", str(world.settings.home), "lists", "show"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "in use by another jalur process" in " ".join((done.stdout + done.stderr).split())
    assert "Traceback" not in done.stderr
