"""One exception tree for the service, each class mapped to an HTTP status, every refusal a
problem-details body (RFC 9457: `application/problem+json` with type, title, status, detail).

Routes and the access layer raise `ApiError` subclasses; the capabilities' own errors (a case
action refused by the workflow, a list file that cannot be read, a user without the right) are
mapped here once, so no route translates errors itself. A record another agency owns answers
exactly as one that does not exist (`NotFoundError`, same wording), so that an id leaks nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jalur.cases import AlertWorkedError, CaseError, WorkflowError
from jalur.config import ConfigError
from jalur.lists import ListLoadError
from jalur.monitoring import EngineError
from jalur.screening import BatchInputError
from jalur.store import WorkspaceInUseError
from jalur.users import AccessError, RateLimitedError, UserError

PROBLEM = "application/problem+json"
_TYPE = "https://jalur.invalid/problems/"


class ApiError(Exception):
    """A request the service refuses or cannot answer; `status` is its HTTP status."""

    status = 500
    title = "internal error"

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class BadRequestError(ApiError):
    status, title = 400, "bad request"


class UnauthorizedError(ApiError):
    status, title = 401, "not signed in"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": "Bearer"})


class ForbiddenError(ApiError):
    status, title = 403, "forbidden"


class NotFoundError(ApiError):
    status, title = 404, "not found"


class ConflictError(ApiError):
    status, title = 409, "conflict"


class TooLargeError(ApiError):
    status, title = 413, "content too large"


class UnprocessableError(ApiError):
    status, title = 422, "unprocessable content"


class TooManyRequestsError(ApiError):
    status, title = 429, "too many requests"


class UnavailableError(ApiError):
    status, title = 503, "service unavailable"


#: Capability errors and what they mean to a client (most specific first).
MAPPED: tuple[tuple[type[Exception], type[ApiError]], ...] = (
    (RateLimitedError, TooManyRequestsError),
    (AccessError, ForbiddenError),
    (UserError, BadRequestError),
    (WorkflowError, ConflictError),
    (AlertWorkedError, ConflictError),  # one case per alert: the other case holds it
    (CaseError, BadRequestError),
    (ListLoadError, UnprocessableError),
    (BatchInputError, UnprocessableError),
    (EngineError, UnavailableError),
    (WorkspaceInUseError, UnavailableError),
    (ConfigError, UnavailableError),
    (DataError, UnprocessableError),  # a value the database cannot hold (PostgreSQL: NUL)
)


def as_api_error(exc: Exception) -> ApiError | None:
    for source, target in MAPPED:
        if isinstance(exc, source):
            return target(_told(exc))
    return None


def _told(exc: Exception) -> str:
    """What the client is told: the capability's own words, but of a database error only the
    driver's first line (SQLAlchemy's text carries the statement and its parameters: the
    service's SQL and table names are nobody's business, and other values may ride along)."""
    if isinstance(exc, DataError):
        said = str(exc.orig).strip().splitlines() if exc.orig is not None else []
        return "a value the database cannot hold" + (f": {said[0]}" if said else "")
    return str(exc)


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    slug = title.replace(" ", "-")
    body = {"type": _TYPE + slug, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    """Register the handlers: ApiError, the mapped capability errors, FastAPI's own 4xx."""

    async def api_error(_request: Request, exc: Exception) -> JSONResponse:
        found = exc if isinstance(exc, ApiError) else as_api_error(exc)
        if found is None:  # not ours to explain: a bug, logged by the server, body says little
            return problem(500, "internal error", "the service failed; the error is logged")
        response = problem(found.status, found.title, found.detail)
        response.headers.update(found.headers)
        return response

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        shown = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors[:20]]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in shown)
        return problem(422, "unprocessable content", where or "invalid request", errors=shown)

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        titles = {404: "not found", 405: "method not allowed", 401: "not signed in",
                  413: "content too large"}  # fmt: skip
        detail = str(exc.detail) if exc.status_code != 404 else "no such resource"
        response = problem(exc.status_code, titles.get(exc.status_code, "error"), detail)
        response.headers.update(exc.headers or {})
        return response

    app.add_middleware(RefuseNul)
    app.add_exception_handler(ApiError, api_error)
    for source, _ in MAPPED:
        app.add_exception_handler(source, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)


class RefuseNul:
    """A NUL character in the path, the query or a JSON or form body is refused before any
    route sees it (SQLite keeps it, PostgreSQL cannot: one answer for both). Plain ASGI, not
    `@app.middleware("http")`: Starlette's `BaseHTTPMiddleware` runs every request through a
    task group and a memory stream, a cost each request paid for a check on two byte strings.
    A JSON or form body is read whole here (the route would read it whole too) and handed on;
    file uploads (multipart) are not looked at: a workbook or Parquet file holds NUL bytes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
            if b"\x00" in unquote_to_bytes(raw):
                await _refuse_nul(scope, receive, send)
                return
            kind = _content_type(scope)
            if kind in _TEXT_BODIES:
                body = await _whole_body(receive)
                if _holds_nul(kind, body):
                    await _refuse_nul(scope, receive, send)
                    return
                receive = _replay(body, receive)
        await self.app(scope, receive, send)


#: Bodies whose NUL a route would store: JSON (written `\u0000`) and url-encoded forms (`%00`).
_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


def _content_type(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return str(value.decode("latin-1").split(";")[0].strip().lower())
    return ""


def _holds_nul(kind: str, body: bytes) -> bool:
    if kind == "application/json":  # an escaped backslash before `u0000` is refused too: rare
        return b"\x00" in body or b"\\u0000" in body
    return b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))


async def _whole_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body read here, then the connection's own messages (a disconnect, when it comes)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()

    return receive


#: The app's `state` attribute a layer above may set to answer a refusal made here as its own
#: page: an async `(request, status, message)` giving a response, or None for a path not its
#: own (the web UI answers its /ui addresses with an HTML page, not problem+json).
REFUSAL_PAGE = "refusal_page"
NUL_REFUSED = "NUL characters are not accepted"


async def _refuse_nul(scope: Scope, receive: Receive, send: Send) -> None:
    await _refuse(scope, receive, send, 422, "unprocessable content", NUL_REFUSED)


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str
) -> None:
    app = scope.get("app")
    page = getattr(getattr(app, "state", None), REFUSAL_PAGE, None)
    refused = await page(Request(scope), status, detail) if page is not None else None
    if refused is None:
        refused = problem(status, title, detail)
    await refused(scope, receive, send)


#: What a multipart body may hold besides its file (boundaries, part headers, form fields).
FORM_ROOM = 64 * 1024


class BodyTooLargeError(HTTPException):
    """Raised by `BoundBody`'s receive: a route reading the body answers 413 through the
    app's handlers; a layer outside them (`RefuseNul`) lets `BoundBody` answer it."""

    def __init__(self, bound: int) -> None:
        super().__init__(413, f"the request body is larger than the service takes ([service] "
                              f"max_upload_bytes = {bound}, and 64 KiB for form fields): "
                              "nothing was read")  # fmt: skip


class BoundBody:
    """Every request body is bounded by the upload bound (`[service] max_upload_bytes`, with
    a multipart upload's room for its form fields): a larger declared length is refused at
    once, a longer stream as soon as it passes the bound. JSON and form bodies had no bound:
    a 300 MB JSON body, sent without a token, was read and parsed (1.2 GB more memory) before
    its 401. Plain ASGI, outside `RefuseNul`, which reads JSON and form bodies whole."""

    def __init__(self, app: ASGIApp, bound: int) -> None:
        self.app = app
        self.bound = bound
        self.limit = bound + FORM_ROOM

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = BodyTooLargeError(self.bound)
        declared = _declared_length(scope)
        if declared is not None and declared > self.limit:
            await _refuse(scope, receive, send, 413, "content too large", refused.detail)
            return
        seen, started = 0, False

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise refused
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, sending)
        except BodyTooLargeError:
            if started:
                raise
            await _refuse(scope, receive, send, 413, "content too large", refused.detail)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
