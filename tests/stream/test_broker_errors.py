"""The consumer's own errors: a NATS server that cannot be reached is one line per try, then
`stream`'s own error; a dead letter's reason is written with its control characters escaped.

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


class _Sent:
    def __init__(self) -> None:
        self.headers: dict[str, str] = {}

    async def publish(self, subject: str, body: bytes, headers: dict[str, str]) -> None:
        self.headers = headers


class _Message:
    data = b"<Document/>"

    class metadata:  # noqa: N801 - nats-py's shape
        class sequence:  # noqa: N801
            stream = 7


def test_a_dead_letter_reason_writes_control_characters_escaped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pacs.008 whose MsgId holds a line break (XML allows it) put it raw into the reason's
    `message …` part: the consumer's log line broke in two (`Nats-Msg-Id: evil` on a line of
    its own) and the `Jalur-Reason` header carried it to whoever reads the dead letters."""
    js = _Sent()
    reason = "message INJ\nNats-Msg-Id: evil\u202e transaction 1: amount is not a number"
    subjects = broker.Subjects.of(
        {"stream": "S", "subject": "p", "decisions": "d", "alerts": "a", "dead_letter": "x",
         "durable": "c", "ack_wait": 1.0, "batch": 1}
    )  # fmt: skip
    with caplog.at_level(logging.INFO):
        asyncio.run(broker._dead(js, subjects, _Message(), reason))  # type: ignore[arg-type]
    said = js.headers["Jalur-Reason"]
    assert said == "message INJ\\nNats-Msg-Id: evil\\u202e transaction 1: amount is not a number"
    assert all("\n" not in r.getMessage() for r in caplog.records)
