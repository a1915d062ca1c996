"""Exchange with partner agencies: packages out and in, match offers, the exchange log.

Named as `jalur exchange …` names them: `export` is `POST /packages`, `import` is
`POST /packages/import`, `match-offer` is `POST /offers`, `match` is `POST /offers/compare`,
`packages`/`show`/`log` are the GETs. Everything goes through `exchanges.Exchanges`, which
decides visibility with the caller's `Access`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from jalur.api.access import Access
from jalur.api.deps import Body, access_for
from jalur.api.errors import BadRequestError
from jalur.api.exchanges import Exchanges, ExportOrder
from jalur.api.uploads import read_upload
from jalur.users import LOAD_DATA, READ_DATA, WORK_CASES

router = APIRouter(prefix="/v1/exchange", tags=["exchange"])
Reader = Annotated[Access, Depends(access_for(READ_DATA))]
Worker = Annotated[Access, Depends(access_for(WORK_CASES))]
Loader = Annotated[Access, Depends(access_for(LOAD_DATA))]
Text = Annotated[str, Field(min_length=1, max_length=500)]
ListName = Annotated[str, Field(min_length=1, max_length=200)]
_SEALED: dict[int | str, dict[str, Any]] = {200: {"content": {"application/octet-stream": {}}}}


class ExportBody(Body):
    to: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=20, description="Partner(s) to encrypt to (handle or name)."
    )
    purpose: str = Field(min_length=1, max_length=1000)
    entities: list[Text] = Field(
        default_factory=list, max_length=20,
        description="KIND:VALUE terms, ANDed (id, list, topic, name, ref); a comma ORs values.",
    )  # fmt: skip
    case: str | None = Field(
        None, min_length=1, max_length=200,
        description="Instead of entities: a case's subjects and payments (its timeline notes it).",
    )  # fmt: skip
    caveats: list[Text] = Field(default_factory=list, max_length=20)
    classification: str = Field("RESTRICTED", max_length=32)
    legal_basis: str | None = Field(None, max_length=1000)
    in_reply_to: str | None = Field(None, max_length=200)
    expires_days: int = Field(90, ge=1, le=3650)
    include_transactions: bool = True
    consent: str | None = Field(None, max_length=1000)
    consents: dict[Annotated[str, Field(max_length=200)], Text] | None = Field(
        None, max_length=50,
        description="Originator (partner handle or name) → its consent to pass its data on: "
        "one per originator when the selection holds received data of several.",
    )  # fmt: skip
    confirm: int | None = Field(None, ge=0)


@router.post("/packages", status_code=201)
def export(body: ExportBody, access: Worker) -> dict[str, Any]:
    """Package subjects the caller sees (chosen by `entities` terms, or a `case`'s) and their
    payments, encrypted to the partners and signed by this agency (`jalur exchange export`); the
    sealed file is at `download`. Subjects from a list or case carrying a no-onward caveat need
    `consent` (recorded)."""
    if (body.case is None) == (not body.entities):
        raise BadRequestError("give entities (KIND:VALUE terms) or a case, one of the two")
    order = ExportOrder(
        to=body.to, purpose=body.purpose, entities=body.entities, case=body.case,
        caveats=body.caveats,
        classification=body.classification, legal_basis=body.legal_basis,
        in_reply_to=body.in_reply_to, expires_days=body.expires_days,
        include_transactions=body.include_transactions, consent=body.consent,
        confirm=body.confirm, consents=body.consents,
    )  # fmt: skip
    return Exchanges(access).export(order)


@router.get("/packages")
def list_packages(access: Reader) -> list[dict[str, Any]]:
    """Packages sent and received that the caller sees, with their markings."""
    return Exchanges(access).packages()


@router.post("/packages/import", status_code=201)
async def import_package(
    request: Request,
    file: Annotated[UploadFile, File(description="A package file from a partner.")],
    access: Loader,
) -> dict[str, Any]:
    """Verify, decrypt and store a partner's package (`jalur exchange import`): its data is the
    importing agency's, marked with the partner's classification, EGMONT and its caveats. A
    forged, tampered, replayed, expired or malformed package is refused (422); nothing is
    stored."""
    exchanges = Exchanges(access)
    exchanges.require_own()  # another agency is refused before its upload is read
    content = await read_upload(request, file)
    name = Path(file.filename or "package").name
    return await run_in_threadpool(exchanges.import_package, content, name)


@router.get("/packages/{package_id}")
def package(package_id: str, access: Reader) -> dict[str, Any]:
    """One package: a received one with its manifest, entities, payments and links; a sent one
    with its recipients, counts and marking."""
    return Exchanges(access).package(package_id)


@router.get("/packages/{package_id}/download", response_class=Response, responses=_SEALED)
def download(package_id: str, access: Worker) -> Response:
    """The sealed file of a package this installation sent (to hand to the partners)."""
    return _sealed(Exchanges(access).download(package_id), f"{package_id}.jalur")


class OfferBody(Body):
    to: str = Field(min_length=1, max_length=200, description="The partner who may match it.")
    lists: list[ListName] | None = Field(None, max_length=50)
    purpose: str = Field("find common subjects (CTF)", min_length=1, max_length=1000)
    expires_days: int = Field(30, ge=1, le=3650)
    consent: str | None = Field(None, max_length=1000)


@router.post("/offers", status_code=201)
def make_offer(body: OfferBody, access: Worker) -> dict[str, Any]:
    """Encode the subjects of the caller's lists (all they see, or `lists`) for one partner to
    match (`jalur exchange match-offer`): names never leave; the file is at `download`."""
    return Exchanges(access).make_offer(
        body.to, body.lists, body.purpose, body.expires_days, body.consent
    )


@router.get("/offers")
def offers(access: Reader) -> list[dict[str, Any]]:
    """Offers made to partners (`out`) and partners' offers compared here (`in`)."""
    return Exchanges(access).offers()


@router.get("/offers/{offer_id}/download", response_class=Response, responses=_SEALED)
def offer_download(offer_id: str, access: Worker) -> Response:
    """The sealed file of an offer this installation made."""
    return _sealed(Exchanges(access).offer_download(offer_id), f"{offer_id}.offer")


@router.post("/offers/compare")
async def compare(
    request: Request,
    file: Annotated[UploadFile, File(description="A partner's match offer.")],
    access: Worker,
    lists: Annotated[list[str] | None, Form(max_length=50)] = None,
    threshold: Annotated[float | None, Form(ge=0, le=1)] = None,
) -> dict[str, Any]:
    """Compare a partner's offer with the caller's subjects (`jalur exchange match`): candidate
    hits only, each a partner reference and one of the caller's subjects with a similarity."""
    exchanges = Exchanges(access)
    exchanges.require_own()
    content = await read_upload(request, file)
    name = Path(file.filename or "offer").name
    return await run_in_threadpool(exchanges.compare, content, name, lists, threshold)


@router.get("/log")
def log(access: Reader) -> dict[str, Any]:
    """The exchange log's entries the caller sees (every export, import, refusal, offer and
    match, hash-chained) and whether the chain is intact."""
    return Exchanges(access).log()


def _sealed(data: bytes, filename: str) -> Response:
    """A sealed file as a download (its id was checked to be a jalur id before it was read)."""
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
