"""Liveness and readiness, without signing in (they say nothing about the data)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from jalur.api.deps import service_of
from jalur.api.errors import UnavailableError

router = APIRouter(tags=["service"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> dict[str, str]:
    """Both stores answer: the transactional one (SQLite or PostgreSQL) and the DuckDB file."""
    service = service_of(request)
    try:
        with service.engine.connect() as con:
            con.execute(text("SELECT 1"))
        with service.analytic.reader() as store:
            store.execute("SELECT 1")
    except Exception as exc:  # readiness reports any failure as not ready
        raise UnavailableError(f"not ready: {type(exc).__name__}") from exc
    return {"status": "ready"}
