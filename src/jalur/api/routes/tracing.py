"""Tracing: the funding channels `jalur trace` found, and one channel's graph as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from jalur.api.access import Access
from jalur.api.deps import Offset, access_for
from jalur.users import READ_DATA

router = APIRouter(prefix="/v1", tags=["tracing"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]


@router.get("/channels")
def channels(
    access: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Traced channels, largest amount first, with `total`."""
    return access.channels(limit, offset)


@router.get("/channels/{channel_id}/graph")
def channel_graph(channel_id: str, access: Reader) -> dict[str, Any]:
    """The channel's accounts and payments as the channel graph (nodes, edges, channels) and
    as Cytoscape.js elements (what the web UI's network view draws)."""
    return access.channel_graph(channel_id)
