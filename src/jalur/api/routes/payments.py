"""Payments: load a file by upload (a job whose result is the load's counts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from jalur.api.access import Access, queue_upload
from jalur.api.deps import access_for
from jalur.api.uploads import read_upload
from jalur.users import LOAD_DATA

router = APIRouter(prefix="/v1", tags=["payments"])


@router.post("/payments", status_code=202)
async def load(
    request: Request,
    file: Annotated[UploadFile, File(description="A payments file (CSV, ISO 20022, MT103…).")],
    format: Annotated[str, Form(max_length=32, pattern=r"^[A-Za-z0-9._-]+$")],
    access: Annotated[Access, Depends(access_for(LOAD_DATA))],
    classification: Annotated[str | None, Form(max_length=32)] = None,
    caveats: Annotated[str | None, Form(max_length=200, description="Comma-separated.")] = None,
) -> dict[str, str]:
    """Load a payments file (a job: GET /v1/jobs/{id} gives read, accepted, rejected and
    duplicate counts). Bad records are quarantined and counted, the good ones load. The
    payments are the caller's agency's, marked `classification` (default RESTRICTED) and
    `caveats`; only users who see that marking see them, and the runs made over them."""
    marking = access.new_marking(classification, (caveats or "").split(","))
    content = await read_upload(request, file)
    filename = Path(file.filename or "upload").name
    folder = access.service.jobs.spool_folder()
    job_id = queue_upload(content, filename, folder, lambda path: access.load_payments(
        path, filename, format, marking))  # fmt: skip
    return {"job_id": job_id, "status": "queued"}
