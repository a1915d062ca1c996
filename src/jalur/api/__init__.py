"""The service: jalur's capabilities as a REST API for several agencies (FastAPI + uvicorn).

`create_app(settings)` builds the app on one workspace; `jalur serve` runs it. Routes live in
`routes/` and reach data only through `access.Access`, the one place where an agency, a
clearance and caveats decide what a caller sees. A layer above every capability: nothing
imports it but the command line.
"""

from __future__ import annotations

import typer

from jalur.api.access import Access
from jalur.api.app import create_app, open_service
from jalur.api.deps import Offset
from jalur.api.errors import (
    REFUSAL_PAGE,
    ApiError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from jalur.api.networks import network_graph
from jalur.api.service import Service
from jalur.api.settings import ServiceSettings
from jalur.users.markings import KINDS, Marking, mark, share


def register_cli(app: typer.Typer) -> None:
    """Add `jalur serve` to the root app."""
    from jalur.api.cli import serve_command

    app.command("serve")(serve_command)


__all__ = [
    "KINDS",
    "REFUSAL_PAGE",
    "Access",
    "ApiError",
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "Marking",
    "NotFoundError",
    "Offset",
    "Service",
    "ServiceSettings",
    "UnauthorizedError",
    "create_app",
    "mark",
    "network_graph",
    "open_service",
    "register_cli",
    "share",
]
