"""Jobs started by the caller's agency: status, progress, result (batch hits, load counts)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from jalur.api.access import Access
from jalur.api.deps import access_for
from jalur.users import SCREEN

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get("/{job_id}")
def job(job_id: str, access: Annotated[Access, Depends(access_for(SCREEN))]) -> dict[str, Any]:
    """A job's state: queued, running, done (with its result) or failed (with the reason)."""
    return access.job(job_id)
