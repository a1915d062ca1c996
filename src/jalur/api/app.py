"""The app factory: `create_app(settings)` builds the FastAPI app on one workspace.

The app holds the workspace's stores for its life (see `analytic` for the DuckDB file, the SQL
engine for users, cases, audit and sessions), one job worker and one warm screener. Every data
route goes through `access.Access`; errors become problem-details bodies (`errors`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from jalur.api import errors
from jalur.api.analytic import Analytic
from jalur.api.jobs import Jobs
from jalur.api.routes import ROUTERS
from jalur.api.service import Screening, Service
from jalur.api.settings import ServiceSettings
from jalur.config import Settings
from jalur.screening import ScreeningConfig
from jalur.sqlstore import open_database
from jalur.store import private_files
from jalur.users import default_agency

VERSION = "1"


def open_service(settings: ServiceSettings) -> Service:
    """The stores and workers of a running app (closed by `Service.close`)."""
    workspace = settings.workspace
    with private_files():
        engine = open_database(workspace)
        try:
            analytic = Analytic(workspace)
        except BaseException:
            engine.dispose()
            raise
    screening = Screening(ScreeningConfig.for_settings(workspace))
    with engine.connect() as con:
        own = default_agency(con)
    return Service(settings, engine, analytic, Jobs(engine), screening, own)


def create_app(settings: ServiceSettings | Settings) -> FastAPI:
    """The service on one workspace; stores open when the app starts, close when it stops."""
    chosen = settings if isinstance(settings, ServiceSettings) else ServiceSettings.of(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = open_service(chosen)
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(
        title="jalur",
        version=VERSION,
        summary="Counter-terrorist-financing intelligence as a service, for several agencies.",
        lifespan=lifespan,
    )
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    from jalur.web import install as install_web  # the UI sits above the API: imported late

    install_web(app)
    return app
