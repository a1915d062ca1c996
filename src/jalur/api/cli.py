"""`jalur serve`: the service on this workspace, until Ctrl-C."""

from __future__ import annotations

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

    try:
        app = create_app(ServiceSettings.of(settings_of(ctx)))
        uvicorn.run(app, host=host, port=port, log_level="info")
    except (ConfigError, WorkspaceInUseError) as exc:
        raise fail(str(exc)) from exc
