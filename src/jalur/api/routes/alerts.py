"""Monitoring: alerts with filters, one alert with its explanation and payments, start a run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from jalur.api.access import Access
from jalur.api.deps import Body, Offset, access_for, in_worker
from jalur.users import LOAD_DATA, READ_DATA

router = APIRouter(prefix="/v1", tags=["monitoring"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/alerts")
async def alerts(
    access: Reader,
    typology: Text = None,
    account: Text = None,
    run_id: Text = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Alerts of the monitoring runs the caller sees, best first."""
    return await in_worker(access.alerts, typology, account, run_id, min_score, limit, offset)


@router.get("/alerts/{alert_id}")
def alert(alert_id: str, access: Reader) -> dict[str, Any]:
    """One alert: typology, score, explanation, features, its accounts and payments."""
    return access.alert(alert_id)


class RunRequest(Body):
    typologies: list[str] | None = Field(None, max_length=50)
    classification: str | None = Field(None, max_length=32)
    caveats: list[str] = Field(default_factory=list, max_length=20)


@router.post("/monitoring/runs", status_code=202)
def start_run(
    body: RunRequest, access: Annotated[Access, Depends(access_for(LOAD_DATA))]
) -> dict[str, str]:
    """Run monitoring over the workspace's payments as a job (GET /v1/jobs/{id} for progress)."""
    marking = access.new_marking(body.classification, body.caveats)
    return {"job_id": access.start_monitoring(body.typologies, marking), "status": "queued"}
