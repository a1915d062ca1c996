"""`jalur serve`: the service on this workspace, until Ctrl-C."""

from __future__ import annotations

import socket
import sys
from typing import Annotated

import typer

from jalur.clikit import fail, settings_of
from jalur.config import ConfigError
from jalur.store import WorkspaceInUseError

#: How long a thread may hold the interpreter lock while another waits for it (Python's
#: default is 5 ms). The event loop that answers every request waits for the lock behind a
#: worker thread that is screening or building an answer; a shorter turn lets it read and
#: write sockets sooner, so a quick `/match` waits less behind a slow listing.
SWITCH_INTERVAL_S = 0.001


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
) -> None:
    """Serve the REST API (OpenAPI at /docs) on this workspace. While it runs the server owns
    the workspace's DuckDB file: other `jalur` commands on it are refused until it stops."""
    import uvicorn

    from jalur.api.app import create_app
    from jalur.api.settings import ServiceSettings

    sys.setswitchinterval(SWITCH_INTERVAL_S)

    if problem := port_problem(host, port):
        raise fail(problem)
    try:
        app = create_app(ServiceSettings.of(settings_of(ctx)))
        uvicorn.run(app, host=host, port=port, log_level="info")
    except (ConfigError, WorkspaceInUseError) as exc:
        raise fail(str(exc)) from exc
    except SystemExit as exc:  # uvicorn's own 3 when it cannot listen: jalur's 3 is "some rows"
        if exc.code == UVICORN_STARTUP_FAILURE:
            raise fail(f"the service could not start on {host}:{port} (see above)") from None
        raise


#: uvicorn's exit code when the server could not start (a port taken since `port_problem`).
UVICORN_STARTUP_FAILURE = 3


def port_problem(host: str, port: int) -> str | None:
    """Why the service cannot listen on `host:port`, or None. Asked before the workspace is
    opened: a port already taken started the whole application, then exited with uvicorn's
    code 3 (which jalur's scripts read as "some rows rejected") after its shutdown."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot listen on {host!r}: {exc.strerror}"
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            return (
                f"cannot listen on {host}:{port}: {exc.strerror or exc} (another server"
                " there? stop it, or give another --port)"
            )
    return None
