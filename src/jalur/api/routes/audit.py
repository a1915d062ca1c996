"""The audit trail: the caller's agency's entries, and the chain's verification."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from jalur.api.access import Access
from jalur.api.deps import Offset, access_for
from jalur.users import READ_AUDIT

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Auditor = Annotated[Access, Depends(access_for(READ_AUDIT))]


@router.get("")
def show(
    access: Auditor,
    object: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entries made by users of the caller's agency, newest first (optionally about one object);
    the read is recorded, `audit.show`."""
    return access.audit_entries(object, limit, offset, "api")


@router.get("/verify")
def verify(
    access: Auditor,
    full: Annotated[
        bool, Query(description="Hash every entry again, not only since the last seal.")
    ] = False,
) -> dict[str, Any]:
    """The entries after the newest good seal hashed again (every entry: `full=true`), every
    link, the head and every seal checked; problems name the first break, `checked` says
    which entries were hashed again."""
    return access.verify_audit(full=full)
