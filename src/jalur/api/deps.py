"""Who is asking: the bearer token or API key of a request, and the `Access` a route gets.

Every route that touches data declares `access: Annotated[Access, Depends(access_for(RIGHT))]`:
the caller is authenticated (401 without a live token or key), their role must hold RIGHT (403,
audited by `users.require`), and what they then read or change goes through that `Access`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from jalur.api.access import Access
from jalur.api.errors import UnauthorizedError
from jalur.api.service import Service
from jalur.users import User, may, require

oauth2 = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)
P = ParamSpec("P")
#: How far a page may start: far beyond any real count, well inside the stores' 64-bit
#: integers (a larger offset from the request was a 500 from DuckDB instead of a 422).
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
T = TypeVar("T")


def service_of(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def current_user(request: Request, secret: Annotated[str | None, Depends(oauth2)]) -> User:
    """The user (or API key) behind the request's bearer secret."""
    return _bearer(service_of(request), secret)


def _bearer(service: Service, secret: str | None) -> User:
    if not secret:
        raise UnauthorizedError(
            "sign in first: POST /v1/auth/token, then send Authorization: Bearer …"
        )
    user = service.bearers.user(secret)
    if user is None:
        raise UnauthorizedError("the bearer token or API key is unknown, expired or revoked")
    return user


def access_for(right: str) -> Callable[..., Awaitable[Access]]:
    """A dependency: the caller's `Access`, once their role is known to hold `right`.

    It runs on the event loop: a caller the service knows already (`Service.bearers`, kept
    until this process writes the store) whose role holds `right` costs no I/O, and so no
    hand-over to a worker thread, a wait fewer for a thread and the interpreter lock when the
    server is busy. Anything else (reading the secret from the store, a refusal, which is
    audited) runs on a worker thread."""

    def checked(service: Service, secret: str | None, action: str) -> Access:
        user = _bearer(service, secret)
        require(service.engine, user, right, action)
        return Access(service, user)

    async def dependency(
        request: Request, secret: Annotated[str | None, Depends(oauth2)]
    ) -> Access:
        service = service_of(request)
        user = service.bearers.known(secret) if secret else None
        if user is not None and may(user.role, right):
            return Access(service, user)
        action = f"{request.method} {request.url.path}"
        return await run_in_threadpool(checked, service, secret, action)

    return dependency


async def in_worker(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work` on a worker thread, for the busiest routes (`/match`, alerts, a case), declared
    `async`: FastAPI runs a plain route on one worker thread and then checks its answer on
    another; declared async, the answer is checked on the event loop (a shallow check of a
    dict, cheap) and the request changes threads once, not twice."""
    return await run_in_threadpool(work, *args, **kwargs)


class Body(BaseModel):
    """A JSON request body of jalur's own routes: a field it does not know is refused (422
    naming it) rather than ignored — `{"engine": "spark"}` to the monitoring run was run on
    DuckDB without a word. (The yente-shaped `/match` bodies stay lenient: clients written
    for yente send its other parameters.)"""

    model_config = ConfigDict(extra="forbid")
