"""Signing in (OAuth2 password flow), signing out, who am I, and API keys (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from jalur.api.access import Access
from jalur.api.deps import Body, access_for, current_user, oauth2, service_of
from jalur.api.errors import (
    BadRequestError,
    NotFoundError,
    TooManyRequestsError,
    UnauthorizedError,
)
from jalur.users import (
    MANAGE_USERS,
    AccessError,
    RateLimitedError,
    User,
    create_api_key,
    issue_token,
    list_api_keys,
    revoke_api_key,
    revoke_token,
    sign_in_limited,
)

router = APIRouter(prefix="/v1", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str
    expires_in: int


@router.post("/auth/token")
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """A bearer token for a user name and password (failures are counted, audited, limited)."""
    service = service_of(request)
    settings = service.settings
    try:
        user = sign_in_limited(
            service.engine, form.username, form.password, settings.clock(),
            settings.max_failed_sign_ins, settings.failure_window_s,
        )  # fmt: skip
    except RateLimitedError as exc:  # when to try again, for a client that retries
        raise TooManyRequestsError(str(exc), {"Retry-After": str(exc.retry_after_s)}) from exc
    except AccessError as exc:
        raise UnauthorizedError("unknown user or wrong password") from exc
    issued = issue_token(service.engine, user, settings.clock(), settings.token_ttl_s)
    assert issued.expires_at is not None
    return Token(access_token=issued.secret, expires_at=issued.expires_at,
                 expires_in=settings.token_ttl_s)  # fmt: skip


@router.post("/auth/revoke")
def sign_out(
    request: Request,
    _user: Annotated[User, Depends(current_user)],
    secret: Annotated[str | None, Depends(oauth2)],
) -> dict[str, bool]:
    """Sign out: this token stops working now."""
    service = service_of(request)
    return {"revoked": revoke_token(service.engine, secret or "", service.settings.clock())}


@router.get("/auth/me")
def me(user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
    """Who the token stands for: name, role, agency, clearance, caveats."""
    return {"name": user.name, "role": user.role, "agency": user.agency,
            "clearance": user.clearance, "caveats": list(user.caveats)}  # fmt: skip


class NewKey(Body):
    label: str = Field(min_length=1, max_length=200)
    role: str = Field("client", max_length=16)
    clearance: str | None = Field(None, max_length=32)
    caveats: list[str] = Field(default_factory=list, max_length=20)
    days: int | None = Field(None, ge=1, le=3650)


@router.post("/apikeys", status_code=201)
def new_key(
    body: NewKey, access: Annotated[Access, Depends(access_for(MANAGE_USERS))]
) -> dict[str, Any]:
    """An API key for a machine client of the admin's own agency; the secret is shown once."""
    issued = create_api_key(
        access.engine, access.user, body.label, access.service.settings.clock(),
        role=body.role, agency=access.agency, clearance=body.clearance,
        caveats=body.caveats, ttl_days=body.days,
    )  # fmt: skip
    return {"id": issued.key_id, "key": issued.secret, "expires_at": issued.expires_at}


@router.get("/apikeys")
def keys(access: Annotated[Access, Depends(access_for(MANAGE_USERS))]) -> list[dict[str, Any]]:
    """The API keys of the admin's agency (never their secrets)."""
    return list_api_keys(access.engine, access.agency)


@router.delete("/apikeys/{key_id}")
def revoke_key(
    key_id: str, access: Annotated[Access, Depends(access_for(MANAGE_USERS))]
) -> dict[str, str]:
    """Revoke an API key of the admin's agency: it stops working at once."""
    if not any(k["id"] == key_id for k in keys(access)):
        raise NotFoundError(f"no API key {key_id}")
    try:
        revoke_api_key(access.engine, access.user, key_id, access.service.settings.clock())
    except ValueError as exc:
        raise BadRequestError(str(exc)) from exc
    return {"revoked": key_id}
