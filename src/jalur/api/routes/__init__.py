"""The service's routers, in the order they appear in the OpenAPI document.

To add a resource: write a module here with `router = APIRouter(prefix="/v1/…", tags=[…])`,
give each route `access: Annotated[Access, Depends(access_for(RIGHT))]` and let it call one
`Access` method (add the method to `access.py` when the data is new: that is where visibility
is decided), then add the module's router to ROUTERS. tests/api/test_visibility.py walks the
OpenAPI document and will try the new route as another agency and as a role without the right.
"""

from __future__ import annotations

from fastapi import APIRouter

from jalur.api.routes import (
    alerts,
    audit,
    auth,
    cases,
    entities,
    exchange,
    jobs,
    lists,
    matching,
    meta,
    payments,
    tracing,
)
from jalur.api.routes import screening as screening_routes

ROUTERS: tuple[APIRouter, ...] = (
    meta.router,
    auth.router,
    lists.router,
    entities.router,
    screening_routes.router,
    payments.router,
    alerts.router,
    tracing.router,
    cases.router,
    exchange.router,
    jobs.router,
    audit.router,
    matching.router,
)
