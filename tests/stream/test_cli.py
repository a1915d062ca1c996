"""`jalur stream`: its public names, its commands, and clear errors without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jalur.stream
from jalur.cli import app
from jalur.stream.commands import _line, decision_of


def test_every_public_name_exists() -> None:
    assert [n for n in jalur.stream.__all__ if not hasattr(jalur.stream, n)] == []
    assert "register_cli" in jalur.stream.__all__


def test_stream_help_lists_its_commands() -> None:
    result = CliRunner().invoke(app, ["stream", "--help"])
    assert result.exit_code == 0, result.output
    for command in ("run", "publish", "watch"):
        assert f" {command} " in result.output


def test_publishing_a_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.parquet"
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "ws"), "stream", "publish", str(missing)]
    )
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    payments = tmp_path / "p.csv"
    payments.write_text("tx_id,timestamp,amount,currency\nT1,2026-01-01T00:00:00Z,5,USD\n")
    args = ["--home", str(tmp_path / "ws"), "stream", "publish", str(payments), "--format", "csv"]
    result = CliRunner().invoke(app, [*args, "--nats", "nats://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "cannot reach NATS at nats://127.0.0.1:1" in result.output


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"garbage", "not JSON"),
        (b"\xff", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"decision": 5, "tx_id": "X", "reasons": []}', "is not pass/review/hold"),
        (b'{"decision": "hold"}', "no tx_id"),
        (b'{"decision": "hold", "tx_id": "X", "reasons": [1]}', "not an object"),
    ],
)
def test_watch_names_a_message_that_is_no_decision(data: bytes, reason: str) -> None:
    """Anyone who may publish on the decisions subject can put anything there; `watch` ended
    in a JSONDecodeError/KeyError traceback at the first such message."""
    with pytest.raises(ValueError, match=reason):
        decision_of(data)


def test_watch_reads_a_decision_and_a_reason_without_detail() -> None:
    decision = decision_of(b'{"decision": "hold", "tx_id": "X", "reasons": [{"code": "risk"}]}')
    assert _line(decision) == "HOLD   X: risk"


def test_publish_json_is_json_when_rows_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stream publish --json` printed each refused row's line on stdout above the JSON, so a
    script reading it got no JSON exactly when something was refused."""

    async def sent(url: str, payments: object, subjects: object) -> tuple[int, int]:
        return 1, 0

    monkeypatch.setattr("jalur.stream.commands.publish_payments", sent)
    payments = tmp_path / "p.csv"
    payments.write_text(
        "tx_id,timestamp,amount,currency\nT1,2026-01-01T00:00:00Z,5,USD\n"
        "T2,2026-01-01T00:00:00Z,lots,USD\n"
    )
    args = ["--home", str(tmp_path / "ws"), "stream", "publish", str(payments), "--format", "csv"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout) == {"sent": 1, "duplicates": 0, "refused": 1}
    assert "lots" in result.stderr  # the refused row is still named
