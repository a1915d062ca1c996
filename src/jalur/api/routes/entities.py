"""Listed entities: one by id (its entries on the lists the caller sees), and a name search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from jalur.api.access import Access
from jalur.api.deps import access_for
from jalur.screening import Query as NameQuery
from jalur.users import READ_DATA

router = APIRouter(prefix="/v1/entities", tags=["entities"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]


@router.get("")
def search(
    access: Reader,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    dataset: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Listed entities whose names resemble `q`, best first (on the lists the caller sees)."""
    hits = access.search(NameQuery(q), dataset=dataset, limit=limit)
    return {"q": q, "results": [h.as_dict() for h in hits]}


@router.get("/{entity_id}")
def get(entity_id: str, access: Reader) -> dict[str, Any]:
    """One entity: every current entry on a visible list, with what points at it."""
    return access.entity(entity_id)
