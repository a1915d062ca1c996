"""`jalur serve`: the service on this workspace, until Ctrl-C."""

from __future__ import annotations

from typing import Annotated

import typer

from jalur.clikit import fail, settings_of
from jalur.config import ConfigError
from jalur.store import WorkspaceInUseError


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

    try:
        app = create_app(ServiceSettings.of(settings_of(ctx)))
        uvicorn.run(app, host=host, port=port, log_level="info")
    except (ConfigError, WorkspaceInUseError) as exc:
        raise fail(str(exc)) from exc
