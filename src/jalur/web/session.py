"""The browser's session: an opaque cookie holding a bearer token, and CSRF protection.

Signing in issues the same token `POST /v1/auth/token` issues (`users.issue_token`: only its
sha256 is stored, it expires, signing out revokes it), so the UI and the API share one notion
of a session. The cookie is HttpOnly (scripts never see it), SameSite=Strict (no other site's
page sends it) and Secure when the request came over HTTPS. Every POST form also carries a CSRF
token: an HMAC of the session secret, so it cannot be guessed without the cookie; the sign-in
form, which has no session yet, uses a random double-submit cookie instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from jalur.api import Service
from jalur.users import User, bearer_user

SESSION_COOKIE = "jalur_session"
SIGN_IN_COOKIE = "jalur_sign_in"
CSRF_FIELD = "csrf"


class SignInRequiredError(Exception):
    """No live session: the page answers with a redirect to the sign-in page."""


class CsrfRejectedError(Exception):
    """A POST form without the CSRF token of its session: refused (403), nothing changed."""


def service_of(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def session_secret(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def session_user(request: Request) -> User:
    """The signed-in user of a page request, or SignInRequiredError."""
    secret = session_secret(request)
    if not secret:
        raise SignInRequiredError
    service = service_of(request)
    # The readers' engine, as the API's token check: a page never queues behind a writer.
    user = bearer_user(service.reader, secret, service.settings.clock())
    if user is None or user.name.startswith("key:"):
        raise SignInRequiredError
    return user


def csrf_token(secret: str) -> str:
    return hmac.new(secret.encode(), b"jalur-web-csrf", hashlib.sha256).hexdigest()


def check_csrf(request: Request, given: str | None) -> None:
    """The form's token must be the session's (compared in constant time)."""
    secret = session_secret(request)
    if not secret or not given or not hmac.compare_digest(csrf_token(secret), given):
        raise CsrfRejectedError


def sign_in_token(request: Request) -> str:
    """The sign-in form's double-submit token: the cookie's, or a new one."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


def check_sign_in_token(request: Request, given: str | None) -> None:
    kept = request.cookies.get(SIGN_IN_COOKIE)
    if not kept or not given or not hmac.compare_digest(kept, given):
        raise CsrfRejectedError


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
