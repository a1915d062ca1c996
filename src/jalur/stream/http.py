"""`POST /v1/payments/decide`: the decision on one payment over HTTP.

The body is canonical JSON (one payment, `application/json`) or an ISO 20022 pacs.008 message
(`application/xml`); the answer is `{"decision", "reasons", "alerts", …}`. A payment already
decided (same UETR, else same id) gets its first answer again with `"repeated": true`, and
raises no second alert. The service mounts the router and passes its own authentication as a
dependency; the decider is shared with no other writer, so calls take turns on a lock. Its
state file is held by one process at a time: while a `jalur stream run` holds it the endpoint
answers 503.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from jalur.stream.decide import HOLD, PASS, REVIEW
from jalur.stream.engine import Decider, Outcome
from jalur.stream.payment import MalformedPaymentError, Payment, payment_from_json
from jalur.stream.sources import Read, read_message
from jalur.stream.state import StateInUseError
from jalur.transactions import TransactionLoadError

log = logging.getLogger(__name__)

_SEVERITY = {PASS: 0, REVIEW: 1, HOLD: 2}
_XML = ("application/xml", "text/xml")


def payments_router(
    decider: Decider | Callable[[], Decider], auth: Callable[..., Any] | None = None
) -> APIRouter:
    """The decide endpoint over `decider`; `auth`: the service's authentication dependency.

    `decider` may be a function that gives it: the service opens it on first use, when its
    stores are open (they are not yet when the app's routes are declared)."""
    router = APIRouter(dependencies=[Depends(auth)] if auth is not None else [])
    lock = threading.Lock()
    provide: Callable[[], Decider] = (lambda: decider) if isinstance(decider, Decider) else decider

    def decide(read: Read) -> tuple[list[Outcome], list[dict[str, Any]]]:
        with lock:
            decider = _provided(provide)
            kept, refused = _within_bound(decider, read)
            return decider.decide_many(kept), refused

    @router.post("/v1/payments/decide", tags=["payments"])
    async def decide_payment(request: Request) -> dict[str, Any]:
        """Decide one payment: pass, review or hold, with the reasons."""
        read = _payments(await request.body(), request.headers.get("content-type", ""))
        outcomes, refused = await run_in_threadpool(decide, read)
        return _with_refused(_answer(outcomes), refused)

    return router


def _provided(provide: Callable[[], Decider]) -> Decider:
    """The decider, or 503 while another process (a `jalur stream run`) writes its state file:
    two writers each kept their own windows and split the counts and alerts between them. The
    answer names no path (the caller is a client, not the server's operator)."""
    try:
        return provide()
    except StateInUseError as exc:
        log.warning("payment decisions refused: %s", exc)
        raise HTTPException(
            503,
            "the stream state is held by another process (a `jalur stream run` on this "
            "workspace): payments are decided by it; this endpoint answers once it stops",
        ) from exc


def _within_bound(decider: Decider, read: Read) -> tuple[list[Payment], list[dict[str, Any]]]:
    """The payments to decide and the refused ones, with those beyond `MAX_AMOUNT` once
    converted (`Decider.refusal`) among the refused; 422 when none is left to decide."""
    kept, refused = [], list(read.refused)
    for payment in read.payments:
        refusal = decider.refusal(payment)
        if refusal is None:
            kept.append(payment)
        elif len(read.payments) == 1 and not read.refused:
            raise HTTPException(422, str(refusal))
        else:
            refused.append({"position": refusal.record, "reason": refusal.reason})
    if not kept:
        named = "; ".join(f"record {r['position']}: {r['reason']}" for r in refused)
        raise HTTPException(422, named)
    return kept, refused


def _payments(body: bytes, content_type: str) -> Read:
    """The payments to decide and the transactions of the message refused; 422 when nothing
    in the body is a payment (a message whose every transaction is refused names them all)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _XML or (not kind and body.lstrip().startswith(b"<")):
        try:
            read = read_message(body)
        except TransactionLoadError as exc:
            raise HTTPException(422, f"not a payment message: {exc}") from exc
        if not read.payments and read.refused:
            named = "; ".join(f"record {r['position']}: {r['reason']}" for r in read.refused)
            raise HTTPException(422, named)
        if not read.payments:
            raise HTTPException(422, "the message holds no payment")
        return read
    try:
        return Read(payments=[payment_from_json(body)])
    except MalformedPaymentError as exc:
        raise HTTPException(422, str(exc)) from exc


#: The finding on a message one of whose transactions could not be read: the bank holds the
#: whole message's answer at review at least, since that transaction was never screened.
PART_REFUSED = "message:part_refused"


def _with_refused(answer: dict[str, Any], refused: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer to a message some of whose transactions were refused: the refused ones listed
    under `refused`, and the message's decision at least review — a message is never passed
    while a transaction of it was not decided (fail safe: it was never screened)."""
    if not refused:
        return answer
    named = [{"position": r["position"], "reason": r["reason"]} for r in refused]
    finding = {
        "code": PART_REFUSED,
        "kind": "input",
        "value": len(named),
        "detail": f"{len(named)} transaction(s) of the message refused, not screened",
    }
    worst = max(str(answer["decision"]), REVIEW, key=lambda d: _SEVERITY[d])
    return {**answer, "decision": worst, "reasons": [*answer["reasons"], finding], "refused": named}


def _answer(outcomes: list[Outcome]) -> dict[str, Any]:
    answers = [{**o.decision, "repeated": not o.fresh} for o in outcomes]
    if len(answers) == 1:
        return dict(answers[0])
    worst = max(answers, key=lambda a: _SEVERITY[str(a["decision"])])
    return {
        "decision": worst["decision"],
        "reasons": [r for a in answers for r in a["reasons"]],
        "alerts": [x for a in answers for x in a["alerts"]],
        "payments": answers,
    }
