"""The app factory: `create_app(settings)` builds the FastAPI app on one workspace.

The app holds the workspace's stores for its life (see `analytic` for the DuckDB file, the SQL
engine for users, cases, audit and sessions), one job worker and one warm screener. Every data
route goes through `access.Access`; errors become problem-details bodies (`errors`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jalur.api import errors
from jalur.api.analytic import Analytic
from jalur.api.decide import install as install_decide
from jalur.api.jobs import UPLOADS, Jobs
from jalur.api.routes import ROUTERS
from jalur.api.service import Screening, Service
from jalur.api.settings import ServiceSettings
from jalur.config import Settings
from jalur.screening import ScreeningConfig
from jalur.sqlstore import open_database, reader_engine
from jalur.store import private_files
from jalur.users import default_agency

VERSION = "1"
log = logging.getLogger(__name__)


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
    screening = Screening(ScreeningConfig.for_settings(workspace), workspace.home)
    with engine.connect() as con:
        own = default_agency(con)
    jobs = Jobs(engine, workspace.home / UPLOADS)
    service = Service(settings, engine, analytic, jobs, screening, own, reader_engine(engine))
    service.warming = threading.Thread(target=_warm, args=(service,), name="screening-warm")
    service.warming.start()
    return service


def _warm(service: Service) -> None:
    """Load the stored screening index in the background: the first `/match` then finds it
    ready (or waits for it once) instead of every early request building its own."""
    try:
        with service.analytic.reader() as store:
            service.screening.warm(store)
    except Exception:  # the first query builds it then, and reports what went wrong
        log.exception("screening index not warmed")


class ServerTiming:
    """`Server-Timing: app;dur=MS` on every answer: from the app receiving the request to the
    start of its answer. A load test tells by it the time the app took (waits for a worker
    thread and the interpreter's lock included) from the time a request queued before it (on
    the socket, in the event loop) or travelled. Plain ASGI: one timer per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent = 1000 * (time.perf_counter() - began)
                headers = [*message.get("headers", []),
                           (b"server-timing", f"app;dur={spent:.2f}".encode())]  # fmt: skip
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)


def create_app(settings: ServiceSettings | Settings) -> FastAPI:
    """The service on one workspace; stores open when the app starts, close when it stops."""
    chosen = settings if isinstance(settings, ServiceSettings) else ServiceSettings.of(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = open_service(chosen)
        try:
            yield
        finally:
            decisions.close()
            app.state.service.close()

    app = FastAPI(
        title="jalur",
        version=VERSION,
        summary="Counter-terrorist-financing intelligence as a service, for several agencies.",
        lifespan=lifespan,
    )
    errors.install(app)
    # outside RefuseNul (added by `install`), which reads JSON and form bodies whole
    app.add_middleware(errors.BoundBody, bound=chosen.max_upload_bytes)
    app.add_middleware(ServerTiming)
    for router in ROUTERS:
        app.include_router(router)
    decisions = install_decide(app)  # POST /v1/payments/decide (jalur.stream)
    from jalur.web import install as install_web  # the UI sits above the API: imported late

    install_web(app)
    return app
