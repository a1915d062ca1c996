"""A NATS server that cannot be reached is one line per try, then `stream`'s own error.

nats-py's default error callback logs every failed try with its traceback: `jalur stream
publish --nats nats://127.0.0.1:1` printed 309 lines of tracebacks before its one-line error.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest
from nats.errors import NoServersError
from typer.testing import CliRunner

from jalur.cli import app
from jalur.stream import broker


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_is_logged_without_tracebacks(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(broker, "RECONNECTS", 1)
    url = f"nats://127.0.0.1:{_closed_port()}"
    with caplog.at_level(logging.INFO), pytest.raises((NoServersError, OSError)):
        asyncio.run(broker.connect(url, "jalur-test"))
    assert caplog.records  # each failed try is still said
    assert [r for r in caplog.records if r.exc_info] == []
    assert all(url in r.getMessage() for r in caplog.records)


def test_stream_run_without_a_server_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`stream run` logged the NoServersError's traceback (40 lines) above its own error."""
    monkeypatch.setattr(broker, "RECONNECTS", 1)
    url = f"nats://127.0.0.1:{_closed_port()}"
    args = ["--home", str(tmp_path / "ws"), "stream", "run", "--nats", url]
    with caplog.at_level(logging.INFO):
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert f"cannot reach NATS at {url}" in result.output
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
