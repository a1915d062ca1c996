"""`POST /v1/payments/decide` in the service: the real-time decision path on the served workspace.

The decision path (`jalur.stream`) screens a payment against every list of the installation
and names the entry that holds it, so only callers of the installation's own agency may ask
(a bank's client key among them): a partner agency's user would otherwise learn, through a
`hold`, what lists it may not read. The decider is opened on the first call, from the server's
own DuckDB connection and its warm screening index, and closed with the app. The decider
writes the stream's state file (what it decided, for repeats), so it holds that file's lock
while open: a call made while a `jalur stream run` consumer holds the lock is answered 503
(naming no path), and a later `stream run` is refused while the server holds it.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, FastAPI

from jalur.api.access import Access
from jalur.api.deps import access_for
from jalur.api.errors import ForbiddenError
from jalur.screening import warm_screener
from jalur.stream import Decider, config_of, read_workspace, state_path
from jalur.stream.http import payments_router
from jalur.users import SCREEN


class Decisions:
    """The app's one decider, opened when first asked for."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._decider: Decider | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Decider:
        with self._lock:
            if self._decider is None:
                self._decider = self._open()
            return self._decider

    def _open(self) -> Decider:
        service = self._app.state.service
        workspace = service.settings.workspace
        with service.analytic.reader() as store:
            screener = warm_screener(store, workspace.home)
            seeds, watch = read_workspace(store, screener=screener)
        return Decider.open(state_path(workspace), config_of(workspace), seeds, watch, None)

    def close(self) -> None:
        with self._lock:
            if self._decider is not None:
                self._decider.close()
                self._decider = None


def own_agency(access: Annotated[Access, Depends(access_for(SCREEN))]) -> Access:
    """Callers of the installation's own agency, whose role may screen."""
    if access.user.agency != access.service.default_agency:
        raise ForbiddenError("payment decisions are for the installation's own agency")
    return access


def install(app: FastAPI) -> Decisions:
    """Mount the decide route; the returned `Decisions` is closed when the app stops."""
    decisions = Decisions(app)
    app.include_router(payments_router(decisions, auth=own_agency))
    return decisions
