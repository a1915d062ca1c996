"""Watchlists: show, versions, the last delta, export, and loading a file by upload (a job)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from jalur import audit, lists
from jalur.api.access import Access, queue_upload
from jalur.api.deps import access_for
from jalur.api.errors import BadRequestError, ForbiddenError, NotFoundError
from jalur.api.uploads import read_upload
from jalur.users import LOAD_DATA, READ_DATA

router = APIRouter(prefix="/v1/lists", tags=["lists"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]
ListName = Annotated[str, Query(max_length=200)]
#: The longest consent text an export takes (each of them: one per originator).
MAX_CONSENT = 500


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
    consent: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    """The list's current entities (FtM), passed on as `jalur lists export` passes them: a
    partner's data (received through the exchange) needs each originator's consent,
    `consent=ORG=TEXT` once per originator (a plain text where there is one), and a list with
    a no-onward caveat a `consent`; the refusal names each originator still unasked."""
    too_long = [text[:40] for text in consent or [] if len(text) > MAX_CONSENT]
    if too_long:
        raise BadRequestError(
            f"a consent is at most {MAX_CONSENT} characters (one began {too_long[0]!r}): "
            "recorded in the audit trail whole, it is not cut"
        )
    released = _released(access, name, consent or [])
    entities = access.export_list(name, released.consent)
    return {"list": name, "entities": entities, "consents": released.consents}


def _released(access: Access, name: str, given: list[str]) -> lists.Released:
    """The consents that let the list leave (`jalur.lists.onward`, as the CLI checks them),
    or a 403 naming each originator without one, recorded in the audit trail as the service
    records every refusal to pass a record on."""
    if name not in access.visible_lists():
        raise NotFoundError(f"no list {name}")
    found = access.marking("list", name)
    check = lists.OnwardCheck(
        access.agency,
        {name: lists.ListMark(found.agency, tuple(found.caveats))},
        option="consent",
        option_joiner="=",
        leave_out="",
    )
    try:
        with access.service.analytic.reader() as store:
            for list_name, data in lists.current_entity_data(store, [name]):
                check.note(list_name, data)
        return check.released(given)
    except lists.OnwardRefusedError as exc:
        audit.record(access.engine, access.user.name, "access.refused", f"list:{name}", {
            "action": "export", "reason": str(exc),
            "originators": sorted(o.name for o in check.originators.values()),
        })  # fmt: skip
        raise ForbiddenError(str(exc)) from exc


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
