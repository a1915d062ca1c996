"""Screening: one name now, or a CSV file as a job whose hits are read back by job id."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import Field

from jalur.api.access import Access
from jalur.api.deps import Body, access_for
from jalur.api.errors import UnprocessableError
from jalur.api.uploads import read_upload
from jalur.screening import name_problem, read_query
from jalur.users import SCREEN

router = APIRouter(prefix="/v1/screening", tags=["screening"])
Screener = Annotated[Access, Depends(access_for(SCREEN))]


class NameRequest(Body):
    name: str = Field(min_length=1, max_length=500)
    birth_date: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    identifier: str | None = Field(None, max_length=100)
    schema_: str | None = Field(None, max_length=32, alias="schema")
    threshold: float | None = Field(None, ge=0, le=1)
    dataset: str | None = Field(None, max_length=200)
    limit: int = Field(20, ge=1, le=100)


@router.post("/name")
def screen_name(body: NameRequest, access: Screener) -> dict[str, Any]:
    """Hits for one name, best first, each with its explanation; unreadable refining fields
    are warnings (the name is screened without them). A name with no letter or digit is
    refused: no hits for it would read as a clean customer."""
    if (problem := name_problem(body.name)) is not None:
        raise UnprocessableError(f"cannot screen {body.name[:40]!r}: {problem}")
    query, warnings = read_query(
        body.name, body.birth_date, body.country, body.identifier, body.schema_
    )
    hits = access.screen(query, body.threshold, body.dataset, body.limit)
    return {
        "query": body.name,
        "warnings": [str(w) for w in warnings],
        "hits": [{**h.as_dict(), "explanation": h.explanation()} for h in hits],
    }


@router.post("/batch", status_code=202)
async def screen_batch(
    request: Request,
    file: Annotated[
        UploadFile, File(description="CSV: name[,birth_date,country,identifier,schema]")
    ],
    access: Screener,
    threshold: Annotated[float | None, Form(ge=0, le=1)] = None,
) -> dict[str, str]:
    """Screen every row of a CSV file (a job: its hits at GET /v1/jobs/{id})."""
    content = await read_upload(request, file)
    job_id = access.screen_batch(content, Path(file.filename or "upload.csv").name, threshold)
    return {"job_id": job_id, "status": "queued"}
