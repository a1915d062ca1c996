"""Who is asking: the bearer token or API key of a request, and the `Access` a route gets.

Every route that touches data declares `access: Annotated[Access, Depends(access_for(RIGHT))]`:
the caller is authenticated (401 without a live token or key), their role must hold RIGHT (403,
audited by `users.require`), and what they then read or change goes through that `Access`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from jalur.api.access import Access
from jalur.api.errors import UnauthorizedError
from jalur.api.service import Service
from jalur.users import User, bearer_user, require

oauth2 = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)


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
    user = bearer_user(service.reader, secret, service.settings.clock())
    if user is None:
        raise UnauthorizedError("the bearer token or API key is unknown, expired or revoked")
    return user


def access_for(right: str) -> Callable[..., Access]:
    """A dependency: the caller's `Access`, once their role is known to hold `right`.

    The caller is found here rather than through `current_user`: FastAPI runs each plain
    (sync) dependency on a worker thread of its own, and one hand-over fewer per request is a
    wait fewer for a thread and the interpreter lock when the server is busy."""

    def dependency(request: Request, secret: Annotated[str | None, Depends(oauth2)]) -> Access:
        service = service_of(request)
        user = _bearer(service, secret)
        require(service.engine, user, right, f"{request.method} {request.url.path}")
        return Access(service, user)

    return dependency
