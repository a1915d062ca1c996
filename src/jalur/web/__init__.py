"""The analyst web UI: server-rendered pages under /ui on the service's own app.

Jinja2 templates and a little vanilla JavaScript shipped in the package (no build step, no
Node at run time); Cytoscape.js comes from `jalur.pictures`. A session is an HttpOnly,
SameSite=Strict cookie holding a bearer token of `jalur.users` (the API's own tokens), every
form carries a CSRF token, and every page reads through `WebAccess`, the service's access
layer, so a user of another agency gets the same 404 for a case URL as for a missing one.
Interface text in English, Bahasa Indonesia and Russian, chosen per user.

`install(app)` mounts the pages on an app made by `jalur.api.create_app`. A layer above the
service: nothing imports it but the app factory.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jalur.api import REFUSAL_PAGE
from jalur.web.i18n import LOCALES, Words, ensure_preferences, locale_of, set_locale
from jalur.web.invisible import invisible_characters
from jalur.web.messages import MESSAGES
from jalur.web.pages import PREFIX, error_page, refusal_page, router
from jalur.web.session import CSRF_FIELD, SESSION_COOKIE, csrf_token
from jalur.web.views import WebAccess, network_graph


def install(app: FastAPI) -> None:
    """Mount the UI on the app: its pages, and `/` sending a browser to the user's first page."""
    app.include_router(router)
    # A refused query or unknown address under /ui answers a page; elsewhere the API's handler.
    kinds = (RequestValidationError, StarletteHTTPException)
    app.state.api_error_handlers = {kind: app.exception_handlers[kind] for kind in kinds}
    for kind in kinds:
        app.add_exception_handler(kind, error_page)
    setattr(app.state, REFUSAL_PAGE, refusal_page)  # a NUL byte in a /ui request: a page too

    @app.get("/", include_in_schema=False)
    def root(_request: Request) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=303)


__all__ = [
    "CSRF_FIELD",
    "LOCALES",
    "MESSAGES",
    "PREFIX",
    "SESSION_COOKIE",
    "WebAccess",
    "Words",
    "csrf_token",
    "ensure_preferences",
    "install",
    "invisible_characters",
    "locale_of",
    "network_graph",
    "set_locale",
]
