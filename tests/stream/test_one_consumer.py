"""One `jalur stream run` per workspace: a second is refused before it consumes anything.

Two consumers on one workspace both took payments from the stream and wrote the same state
file, each with its own window index in memory: counts and alerts split between them. The
consumer now holds a lock beside the state file; the lock is the operating system's, so a
consumer killed outright leaves none behind. `jalur serve`, which decides on the same file,
opened it beside a consumer and wrote it too: every writer of the file now holds the lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for its `httpx2` fork (as test_http)
    from fastapi.testclient import TestClient
from small_lists import payment, small_decider
from typer.testing import CliRunner

from jalur.cli import app
from jalur.stream import Decider, StateInUseError, StateStore, hold_consumer
from jalur.stream.http import payments_router


def _run(home: Path) -> list[str]:
    return [
        "--home",
        str(home),
        "stream",
        "run",
        "--nats",
        "nats://127.0.0.1:1",
        "--idle-exit",
        "0",
    ]


def test_a_second_stream_run_on_one_workspace_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    with hold_consumer(home / "stream" / "state.sqlite"):
        result = CliRunner().invoke(app, _run(home))
    assert result.exit_code == 1, result.output
    assert "already consuming" in result.output
    assert f"pid {os.getpid()}" in result.output
    assert "cannot reach NATS" not in result.output  # refused before it connects


def test_the_consumer_lock_goes_with_its_process(tmp_path: Path) -> None:
    state = tmp_path / "stream" / "state.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from jalur.stream import hold_consumer; "
         f"lock = hold_consumer({str(state)!r}); print('held', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ},
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StateInUseError, match=f"pid {holder.pid}"):
            hold_consumer(state)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with hold_consumer(state):  # the killed consumer's lock is gone
        pass


def test_the_state_file_is_refused_while_a_consumer_holds_it(tmp_path: Path) -> None:
    """`jalur serve` decides on the same file: it opened it beside a running consumer, and
    both wrote it, each with its own windows. Every writer now holds the file's lock."""
    state = tmp_path / "stream" / "state.sqlite"
    with hold_consumer(state), pytest.raises(StateInUseError, match="already consuming"):
        StateStore(state)
    store = StateStore(state)  # the consumer has let go
    with pytest.raises(StateInUseError, match=f"pid {os.getpid()}"):
        hold_consumer(state)  # and the store holds it in turn, until it closes
    store.close()
    with hold_consumer(state):
        pass


def test_a_decide_call_is_answered_503_while_a_consumer_holds_the_state(tmp_path: Path) -> None:
    """The service opens its decider on the first call: while `jalur stream run` holds the
    state that call is answered 503 (not a 500, not a second writer), and once the consumer
    stops the next call is decided."""
    state = tmp_path / "stream" / "state.sqlite"
    opened: list[Decider] = []

    def provide() -> Decider:
        if not opened:
            opened.append(small_decider(state))
        return opened[0]

    api = FastAPI()
    api.include_router(payments_router(provide))
    client = TestClient(api)
    with hold_consumer(state):
        refused = client.post("/v1/payments/decide", json=payment("P1"))
    assert refused.status_code == 503, refused.text
    assert "held by another process" in refused.json()["detail"]
    assert str(tmp_path) not in refused.text
    assert client.post("/v1/payments/decide", json=payment("P1")).status_code == 200
    opened[0].close()


def test_a_lock_file_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    (home / "stream" / "state.sqlite.consumer").mkdir(parents=True)  # in the lock's place
    result = CliRunner().invoke(app, _run(home))
    assert result.exit_code == 1, result.output
    assert "cannot claim the stream state" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
