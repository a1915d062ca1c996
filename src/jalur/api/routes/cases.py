"""Cases: list, show, open from evidence, and the workflow's actions (four eyes server-side)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import Field

from jalur.api.access import Access
from jalur.api.deps import Body, access_for, in_worker
from jalur.cases import STATUSES
from jalur.users import LOAD_DATA, READ_CASES, WORK_CASES

router = APIRouter(prefix="/v1", tags=["cases"])
Reader = Annotated[Access, Depends(access_for(READ_CASES))]
Worker = Annotated[Access, Depends(access_for(WORK_CASES))]
Text = Annotated[str | None, Query(max_length=200)]
#: A status outside the workflow's is a 422 naming them all (as `jalur cases list --status`
#: exits 2), not an empty list that reads as "no such cases".
Status = Annotated[str | None, Query(pattern=f"^({'|'.join(STATUSES)})$")]


@router.get("/cases")
def list_cases(
    access: Reader, status: Status = None, assignee: Text = None, typology: Text = None
) -> list[dict[str, Any]]:
    """Cases the caller sees, oldest first."""
    return access.cases(status=status, assignee=assignee, typology=typology)


@router.get("/cases/{case_id}")
async def get_case(case_id: str, access: Reader) -> dict[str, Any]:
    """One case: status, decision, evidence with snapshots, timeline, marking (the read is
    recorded in the audit trail, `case.show`, as on the command line and in the web UI)."""
    return await in_worker(access.show_case, case_id, "api")


class EvidenceRef(Body):
    kind: Literal["alert", "subject", "channel", "hit", "account", "payment"]
    ref: str = Field(min_length=1, max_length=200)


class NewCase(Body):
    title: str = Field(min_length=1, max_length=500)
    evidence: list[EvidenceRef] = Field(min_length=1, max_length=100)
    typology: str | None = Field(None, max_length=64)


@router.post("/cases", status_code=201)
def open_case(body: NewCase, access: Worker) -> dict[str, Any]:
    """Open a case on evidence the caller sees; it is marked the strictest of that evidence. An
    alert a case of the caller's agency works already is a 409 naming that case (two clients
    opening at once get one case: the database decides)."""
    return access.open_case(
        body.title, [(e.kind, e.ref) for e in body.evidence], body.typology, one_per_alert=True
    )


class ReportRequest(Body):
    """What making a report may need besides the case (each as `jalur report goaml` takes it)."""

    consent: str | None = Field(None, max_length=500)
    rate: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=50)
    client_bank: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=list, max_length=50
    )
    indicator: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    #: what the bank did (goAML's `action`, at most 4,000 characters); default: the decision
    action: str | None = Field(None, max_length=4000)


@router.post("/cases/{case_id}/report", tags=["reports"], response_class=Response,
             responses={200: {"content": {"application/xml": {}}}})  # fmt: skip
def report(case_id: str, access: Worker, body: ReportRequest | None = None) -> Response:
    """Make the goAML report of an approved case and download it (validated against the FIU
    profile's XSD first; its SHA-256 goes into the case's timeline and the audit trail: a POST,
    as it records state). A case carrying a no-onward caveat needs `consent`, recorded with the
    report. `rate`: `CUR=RATE` items (one unit of CUR in the FIU's currency); `client_bank` and
    `indicator` and `action` as `jalur report goaml` takes them."""
    given = body or ReportRequest.model_validate({})
    options = (given.rate, given.client_bank, given.indicator)
    name, data = access.report(case_id, given.consent, *options, action=given.action)
    return Response(data, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/cases/{case_id}/report", include_in_schema=False)
def report_by_get(case_id: str) -> None:
    """A report used to be made by a GET, which a link, a prefetch or a crawler follows: it
    records the report in the case and the trail, so only a POST makes it (no report bytes
    are kept to return again: the case holds the report's SHA-256 only)."""
    raise HTTPException(
        405,
        f"a report is made by POST /v1/cases/{case_id}/report (making it records its hash in "
        "the case and the audit trail, which no GET may do); no report is kept to download again",
        headers={"Allow": "POST"},
    )


class Action(Body):
    assignee: str | None = Field(None, max_length=64)
    text: str | None = Field(None, max_length=10_000)
    kind: str | None = Field(None, max_length=16)
    ref: str | None = Field(None, max_length=200)
    decision: str | None = Field(None, max_length=8)
    reason: str | None = Field(None, max_length=10_000)
    report_type: str | None = Field(None, max_length=16)
    disposition: str | None = Field(None, max_length=16)
    proposed_at: str | None = Field(None, max_length=64)  # approve: the proposal read


@router.post("/cases/{case_id}/{action}")
def act(
    case_id: str,
    action: Literal["assign", "comment", "add", "propose", "approve", "return", "withdraw"],
    access: Worker,
    body: Action | None = None,
) -> dict[str, Any]:
    """One workflow action: assign, comment, add (evidence), propose, approve, return,
    withdraw (the proposer takes a proposal back, with a `reason`). Approving needs the
    supervisor's right and another user than the proposer; it needs no body, but one naming
    the proposal its approver read (`proposed_at`, as `GET /v1/cases/{id}` gave it) is refused
    (409) when that proposal was returned and another stands now (an action missing a field it
    needs names it)."""
    return access.case_action(case_id, action, (body or Action.model_validate({})).model_dump())


class RevokeRequest(Body):
    kind: Literal["list", "run", "case", "load"]
    ref: str = Field(min_length=1, max_length=200)
    agency: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")


class ShareRequest(RevokeRequest):
    consent: str | None = Field(None, max_length=1000)


Sharer = Annotated[Access, Depends(access_for(LOAD_DATA))]


@router.post("/shares", tags=["sharing"])
def share(body: ShareRequest, access: Sharer) -> dict[str, Any]:
    """Share a list, run, case or payments load (`ref`: its load id) the caller's agency owns
    with another agency (no-onward data: consent)."""
    return access.share(body.kind, body.ref, body.agency, body.consent)


@router.post("/shares/revoke", tags=["sharing"])
def revoke(body: RevokeRequest, access: Sharer) -> dict[str, Any]:
    """Take back a share of a record the caller's agency owns (404: no such share)."""
    return access.revoke(body.kind, body.ref, body.agency)
