"""Watchlists: show, versions, the last delta, export, and loading a file by upload (a job)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from jalur.api.access import Access, queue_upload
from jalur.api.deps import access_for
from jalur.api.uploads import read_upload
from jalur.users import LOAD_DATA, READ_DATA

router = APIRouter(prefix="/v1/lists", tags=["lists"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]
ListName = Annotated[str, Query(max_length=200)]


@router.get("")
def show(access: Reader) -> list[dict[str, Any]]:
    """Each list the caller may see: current version, counts by schema and topic, marking."""
    return access.lists()


@router.get("/{name}/versions")
def versions(name: str, access: Reader) -> dict[str, Any]:
    """Every version of one list (source, time, sha256, counts and changes)."""
    return access.list_versions(name)


@router.get("/{name}/delta")
def delta(name: str, access: Reader) -> dict[str, Any]:
    """Entity ids the newest version added, removed and changed."""
    return access.list_delta(name)


@router.get("/{name}/export")
def export(
    name: str,
    access: Reader,
    consent: Annotated[str | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """The list's current entities (FtM). A list with a no-onward caveat needs `consent`."""
    return {"list": name, "entities": access.export_list(name, consent)}


@router.post("", status_code=202)
async def load(
    request: Request,
    file: Annotated[UploadFile, File(description="A list file: UN, OFAC, EU, UK, FtM, CSV.")],
    access: Annotated[Access, Depends(access_for(LOAD_DATA))],
    format: Annotated[str | None, Form(max_length=16)] = None,
    name: Annotated[str | None, Form(max_length=64, pattern=r"^[A-Za-z0-9._-]+$")] = None,
    classification: Annotated[str | None, Form(max_length=32)] = None,
    caveats: Annotated[list[str] | None, Form(max_length=20)] = None,
    allow_removals: Annotated[bool, Form()] = False,
) -> dict[str, str]:
    """Load a list file as a new version (a job: poll GET /v1/jobs/{id}); the list belongs to
    the caller's agency with the marking given (at most the caller's own clearance). A version
    removing more than a quarter (and over 50) of the list fails unless `allow_removals`."""
    marking = access.new_marking(classification, caveats or ())
    content = await read_upload(request, file)
    filename = Path(file.filename or "upload").name
    folder = access.service.jobs.spool_folder()
    job_id = queue_upload(content, filename, folder, lambda path: access.load_list(
        path, filename, format, name, marking, allow_removals))  # fmt: skip
    return {"job_id": job_id, "status": "queued"}
