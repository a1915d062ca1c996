"""`jalur serve` on a port already taken: a clear error and exit 1, before the workspace opens.

It started the whole application, logged uvicorn's "address already in use", waited for the
application's shutdown and exited 3 — which jalur's exit-code table reads as "done, some input
rows rejected"."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from jalur.api.cli import port_problem
from jalur.cli import app
from jalur.clikit import EXIT_ERROR


def test_a_taken_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            app, ["--home", str(tmp_path / "home"), "serve", "--port", str(port)]
        )
    assert result.exit_code == EXIT_ERROR, result.output
    said = " ".join(result.output.split())
    assert f"cannot listen on 127.0.0.1:{port}" in said and "--port" in said
    assert not (tmp_path / "home" / "jalur.duckdb").exists()  # the workspace was not opened


def test_a_free_port_and_an_unknown_host() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert port_problem("127.0.0.1", port) is None
    assert "cannot listen on 'no-such-host.invalid'" in (
        port_problem("no-such-host.invalid", 80) or ""
    )
