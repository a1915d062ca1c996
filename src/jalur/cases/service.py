"""Case actions over the SQL store: each checks the workflow, writes, and is audited at once.

Every action runs in one transaction that reads the case (locked), asks `workflow.next_status`,
applies the change, adds a timeline event and appends the audit entry: the three commit together
or not at all. A refusal (wrong status, role, four eyes) changes nothing and is itself audited,
in a transaction of its own after the refused one rolled back.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from jalur.audit import append, record
from jalur.canonical import canonical, iso, sha256_hex, utcnow
from jalur.cases import workflow as wf
from jalur.cases.reach import agency_of, case_marking, sees
from jalur.sqlstore.schema import (
    case_alerts,
    case_attachments,
    case_dispositions,
    case_events,
    case_evidence,
    cases,
)
from jalur.users import (
    WORK_CASES,
    Marking,
    User,
    default_agency,
    find_user,
    lock_user,
    mark,
    may,
    require,
)

TRUE_POSITIVE, FALSE_POSITIVE = "true-positive", "false-positive"
DISPOSITIONS = (TRUE_POSITIVE, FALSE_POSITIVE)
EVIDENCE_KINDS = ("alert", "hit", "channel", "subject", "account", "payment")
#: goAML's <reason> holds at most 4,000 characters: the proposal's reason is the report's.
REASON_LIMIT = 4000
#: Characters outside XML 1.0's `Char` production, which no report can carry.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class CaseError(ValueError):
    """A case action cannot be done as asked (no such case, bad evidence, bad value)."""


class AlertWorkedError(CaseError):
    """The alert is worked in a case of the opener's agency already: no second case is opened.
    `case_id` is that case (None when the opener may not read it)."""

    def __init__(self, alert: str, case_id: str | None) -> None:
        where = (
            f"in case {case_id}: add to it (`jalur cases open --attach-to {case_id}`, or the "
            "case's add action)"
            if case_id
            else "in a case of your agency you are not cleared to read"
        )
        super().__init__(f"alert {alert} is worked already {where}; no second case was opened")
        self.alert, self.case_id = alert, case_id


@dataclass(frozen=True)
class Evidence:
    """One thing a case is about, by id, with a snapshot of what it said when it was added."""

    kind: str
    ref: str
    snapshot: Mapping[str, Any] = field(default_factory=dict)


Change = Callable[[Connection, Row[Any], str], dict[str, Any]]


def open_case(
    engine: Engine,
    actor: User,
    title: str,
    evidence: Sequence[Evidence],
    typology: str | None = None,
    marking: Marking | None = None,
    one_per_alert: bool = True,
) -> str:
    """A new case holding `evidence`; returns its id. `one_per_alert`: refused
    (AlertWorkedError, naming the case) when a case of the same agency holds one of its alerts
    already, decided by the database when two open at once; False opens a second case on an
    alert on purpose (the first keeps the alert's claim). Without a `typology` the case takes
    its first alert's, wherever it is opened (command line, API, web UI), so that a list of
    cases filtered by typology finds it. A `marking` (the service's: owning agency,
    classification, caveats) is recorded in the same transaction: an unmarked case is the
    default agency's, so another agency's case must never exist, even for a moment, without."""
    require(engine, actor, WORK_CASES, "open a case")
    _check_evidence(evidence)
    typology = typology or next(
        (str(e.snapshot["typology"]) for e in evidence
         if e.kind == "alert" and e.snapshot.get("typology")), None,
    )  # fmt: skip
    case_id = "CASE-" + uuid.uuid4().hex[:10].upper()
    now = iso(utcnow())
    with engine.begin() as con:
        con.execute(
            insert(cases).values(
                id=case_id, title=title, status=wf.OPEN, typology=typology, assignee=None,
                opened_by=actor.name, opened_at=now, updated_at=now, version=1,
            )
        )  # fmt: skip
        _add_evidence(con, case_id, actor.name, evidence, now)
        agency = marking.agency if marking is not None else default_agency(con)
        for alert in dict.fromkeys(e.ref for e in evidence if e.kind == "alert"):
            _claim_alert(con, actor, case_id, agency, alert, one_per_alert)
        details = {"title": title, "typology": typology, "evidence": _refs(evidence)}
        _event(con, case_id, actor.name, "open", details, now)
        append(con, actor.name, "case.open", case_id, details)
        if marking is not None:
            mark(con, "case", case_id, marking, actor.name)
    return case_id


def _claim_alert(
    con: Connection, actor: User, case_id: str, agency: str, alert: str, alone: bool
) -> None:
    """Make `case_id` the case `agency` works `alert` in, or (`alone`) raise AlertWorkedError.
    The claim's primary key decides between two openers at once (on PostgreSQL the second
    waits for the first's commit, then fails the key). A claim whose case no longer holds the
    alert (taken out) passes to the new case; a case holding it unclaimed (opened before claims
    were kept, or the alert added to it) refuses the open as well."""
    try:
        with con.begin_nested():
            con.execute(insert(case_alerts).values(agency=agency, alert=alert, case_id=case_id))
    except IntegrityError:
        if not alone:
            return  # a second case on purpose: the first keeps the claim
        _take_over_claim(con, actor, case_id, agency, alert)
    if not alone:
        return
    for holder in _holders(con, alert, case_id):
        if case_marking(con, holder).agency == agency:
            raise _worked(con, actor, alert, holder)


def _take_over_claim(con: Connection, actor: User, case_id: str, agency: str, alert: str) -> None:
    """The claim of a case that no longer holds the alert passes to `case_id`, compare-and-set:
    of two openers taking over one stale claim, one changes the row."""
    where = (case_alerts.c.agency == agency) & (case_alerts.c.alert == alert)
    holder = str(con.execute(select(case_alerts.c.case_id).where(where)).scalar_one())
    if holder in _holders(con, alert, case_id):
        raise _worked(con, actor, alert, holder)
    moved = con.execute(
        update(case_alerts).where(where, case_alerts.c.case_id == holder).values(case_id=case_id)
    )
    if not moved.rowcount:
        now = con.execute(select(case_alerts.c.case_id).where(where)).scalar_one()
        raise _worked(con, actor, alert, str(now))


def _holders(con: Connection, alert: str, case_id: str) -> list[str]:
    """The cases other than `case_id` whose active evidence holds `alert`."""
    rows = con.execute(
        select(case_evidence.c.case_id).where(
            case_evidence.c.kind == "alert", case_evidence.c.ref == alert,
            case_evidence.c.removed_at.is_(None), case_evidence.c.case_id != case_id,
        ).order_by(case_evidence.c.id)
    )  # fmt: skip
    return list(dict.fromkeys(str(r.case_id) for r in rows))


def _worked(con: Connection, actor: User, alert: str, holder: str) -> AlertWorkedError:
    """The refusal, naming the case only to an opener who may read it."""
    return AlertWorkedError(alert, holder if sees(con, actor, case_marking(con, holder)) else None)


def add_evidence(
    engine: Engine, actor: User, case_id: str, evidence: Sequence[Evidence]
) -> list[str]:
    """Add what the case does not hold yet; returns the `kind:ref` of each item added. An
    alert another case of the agency works is refused (AlertWorkedError), as at the opening:
    else a second case took it in by the side door."""
    _check_evidence(evidence)
    added: list[str] = []

    def change(con: Connection, _row: Row[Any], _status: str) -> dict[str, Any]:
        fresh = [e for e in evidence if not _has(con, case_id, e.kind, e.ref)]
        _add_evidence(con, case_id, actor.name, fresh, iso(utcnow()))
        agency = case_marking(con, case_id).agency  # one case per alert, as at the opening
        for alert in dict.fromkeys(e.ref for e in fresh if e.kind == "alert"):
            _claim_alert(con, actor, case_id, agency, alert, alone=True)
        added[:] = _refs(fresh)
        return {"added": _refs(fresh)}

    _act(engine, actor, case_id, wf.EDIT, change, bump=True)
    return added


def remove_evidence(engine: Engine, actor: User, case_id: str, kind: str, ref: str) -> None:
    def change(con: Connection, _row: Row[Any], _status: str) -> dict[str, Any]:
        if not _has(con, case_id, kind, ref):
            raise CaseError(f"{case_id} holds no {kind} {ref}")
        con.execute(
            update(case_evidence)
            .where(_active(case_id), case_evidence.c.kind == kind, case_evidence.c.ref == ref)
            .values(removed_by=actor.name, removed_at=iso(utcnow()))
        )
        return {"removed": [f"{kind}:{ref}"]}

    _act(engine, actor, case_id, wf.EDIT, change, bump=True)


def assign(engine: Engine, actor: User, case_id: str, assignee: str) -> None:
    """Give the case to a user of this workspace: a name nobody signs in with is refused, and
    so is a user who may not work the case (a role without the right to, such as an admin or
    an auditor; another agency's user; one below its marking)."""
    who = find_user(engine, assignee)

    def change(con: Connection, _row: Row[Any], _status: str) -> dict[str, Any]:
        found = lock_user(con, assignee)  # a disable meanwhile waits, or is waited for
        if found is None or found.disabled or who is None:
            state = "no" if found is None or who is None else "a disabled"
            raise CaseError(
                f"{state} user {assignee!r} to assign {case_id} to (`jalur users list`)"
            )
        if not may(who.role, WORK_CASES):
            raise CaseError(
                f"{assignee} is {who.role}: the role may not work cases; assign {case_id} to "
                "an analyst or a supervisor"
            )
        marking = case_marking(con, case_id)
        if agency_of(con, who) != marking.agency:
            raise CaseError(f"{assignee} is not of agency {marking.agency}, which works {case_id}")
        if not sees(con, who, marking):
            raise CaseError(
                f"{assignee} is not cleared for {case_id} (marked {marking.classification} "
                f"{list(marking.caveats)}): assign it to a user who may read it"
            )
        con.execute(update(cases).where(cases.c.id == case_id).values(assignee=assignee))
        return {"assignee": assignee}

    _act(engine, actor, case_id, wf.EDIT, change)


def comment(engine: Engine, actor: User, case_id: str, text: str) -> None:
    if not text.strip():
        raise CaseError("a comment needs text")
    _act(engine, actor, case_id, wf.COMMENT, lambda _c, _r, _s: {"text": text})


def attach_file(
    engine: Engine, actor: User, case_id: str, name: str, sha256: str, size: int
) -> None:
    """Record a file already stored by content hash (see `attachments.store_file`)."""

    def change(con: Connection, _row: Row[Any], _status: str) -> dict[str, Any]:
        con.execute(
            insert(case_attachments).values(
                case_id=case_id, sha256=sha256, name=name, size=size,
                added_by=actor.name, added_at=iso(utcnow()),
            )
        )  # fmt: skip
        return {"file": name, "sha256": sha256, "size": size}

    _act(engine, actor, case_id, wf.EDIT, change, bump=True)


def propose(
    engine: Engine,
    actor: User,
    case_id: str,
    decision: str,
    reason: str,
    report_type: str | None = None,
    disposition: str | None = None,
    report_codes: Collection[str] | Mapping[str, str] = (),
) -> None:
    """The analyst's decision, waiting for a second pair of eyes. `report_codes` are the FIU
    profile's (`report.report_codes`: code → `transactions` or `activity`): a type outside
    them could be approved, never reported, and so could a transaction report on a case that
    holds no payment (goAML's transaction report needs one)."""
    if decision == wf.REPORT and not report_type:
        raise CaseError("a proposal to report needs --report-type (e.g. LTKMT)")
    if decision != wf.REPORT and report_type:  # "close (LTKMT)": which did the analyst mean?
        raise CaseError(
            f"a proposal to {decision} takes no report type ({report_type!r} given): propose "
            "--decision report to report the case"
        )
    if decision == wf.REPORT and report_codes and report_type not in report_codes:
        raise CaseError(
            f"report type {report_type!r} is not one of {', '.join(report_codes)} (the FIU "
            "profile's report codes)"
        )
    if not reason.strip():
        raise CaseError("a proposal needs --reason")
    if decision == wf.REPORT:
        _check_reportable_reason(reason)
    label = disposition or (TRUE_POSITIVE if decision == wf.REPORT else FALSE_POSITIVE)
    if label not in DISPOSITIONS:
        raise CaseError(f"disposition must be one of {', '.join(DISPOSITIONS)}")

    def change(con: Connection, _row: Row[Any], _status: str) -> dict[str, Any]:
        if decision == wf.REPORT:
            _check_subjects_described(con, case_id)
        if decision == wf.REPORT and isinstance(report_codes, Mapping):
            _check_payments_held(con, case_id, str(report_type), report_codes)
        values = {
            "decision": decision, "report_type": report_type, "proposal_reason": reason,
            "proposed_by": actor.name, "proposed_at": iso(utcnow()),
            "proposed_fingerprint": fingerprint(con, case_id),
        }  # fmt: skip
        con.execute(update(cases).where(cases.c.id == case_id).values(**values))
        return {**values, "disposition": label}

    _act(engine, actor, case_id, wf.PROPOSE, change, decision=decision)


def approve(
    engine: Engine, actor: User, case_id: str, read: Mapping[str, Any] | None = None
) -> str:
    """Approve the pending proposal; a decision to close also closes, in the same transaction.
    Returns the new status.

    `read` is the proposal the approver read (the `decision` of `case_details`, or any of its
    fields: `proposed_at` on the command line). Between reading and approving the proposal can
    be returned and another proposed on the same evidence (close instead of report), which the
    evidence's fingerprint does not tell; the approval is then refused, naming the proposal
    that stands now."""

    def change(con: Connection, row: Row[Any], _status: str) -> dict[str, Any]:
        if read is not None and any(read[k] != row._mapping[k] for k in _PROPOSAL if k in read):
            raise wf.WorkflowError(
                f"approve refused: the proposal you read is no longer the one pending; "
                f"{row.proposed_by} proposed to {row.decision}"
                + (f" ({row.report_type})" if row.report_type else "")
                + f" at {row.proposed_at}: read it (`jalur cases show {case_id}`) and approve that"
            )
        con.execute(
            update(cases)
            .where(cases.c.id == case_id)
            .values(approved_by=actor.name, approved_at=iso(utcnow()))
        )
        return {"decision": row.decision, "report_type": row.report_type}

    def then_close(con: Connection, status: str) -> str:
        # in the approval's transaction: a close approved but not done would be stuck (no
        # action closes an approved case, and a return is refused once it is closed)
        if _locked(con, case_id).decision != wf.CLOSE:
            return status
        return _step(con, actor, case_id, wf.CLOSE_CASE, _dispose)

    return _act(engine, actor, case_id, wf.APPROVE, change, then=then_close)


#: What a proposal says: an approval given for one of them is not given for another.
_PROPOSAL = ("decision", "report_type", "proposal_reason", "proposed_by", "proposed_at")


def return_case(engine: Engine, actor: User, case_id: str, reason: str) -> None:
    if not reason.strip():
        raise CaseError("returning a case needs --reason")

    def change(con: Connection, row: Row[Any], _status: str) -> dict[str, Any]:
        if row.status == wf.APPROVED:  # the approval no longer stands
            con.execute(
                update(cases)
                .where(cases.c.id == case_id)
                .values(approved_by=None, approved_at=None)
            )
        return {"reason": reason}

    _act(engine, actor, case_id, wf.RETURN, change)


def withdraw(engine: Engine, actor: User, case_id: str, reason: str) -> None:
    """The proposer takes back a proposal nobody has decided on yet (found wrong, evidence to
    add): the case goes back to investigating, and it cannot be approved until proposed
    again. Before, the proposal stayed open to approval until a supervisor returned it."""
    if not reason.strip():
        raise CaseError("withdrawing a proposal needs --reason")
    _act(engine, actor, case_id, wf.WITHDRAW, lambda _c, _r, _s: {"reason": reason})


def mark_reported(engine: Engine, actor: User, case_id: str, reference: str) -> None:
    """The FIU acknowledged the report: its reference closes the reporting loop.

    Only a case whose report was generated (its hash recorded) can be marked reported, and
    only with the reference: it is how the report is found again at the FIU."""
    if not reference.strip():
        raise CaseError(f"marking {case_id} reported needs the FIU's --reference")

    def change(con: Connection, row: Row[Any], status: str) -> dict[str, Any]:
        if not row.report_sha256:
            raise wf.WorkflowError(
                f"mark-reported refused: no report was generated for {case_id} "
                "(run `jalur report goaml --case ID` first)"
            )
        con.execute(update(cases).where(cases.c.id == case_id).values(report_reference=reference))
        return {"reference": reference, **_dispose(con, row, status)}

    _act(engine, actor, case_id, wf.MARK_REPORTED, change)


def record_export(engine: Engine, actor: User, case_id: str, details: Mapping[str, Any]) -> None:
    """A package with the case's subjects and payments left for a partner: on the timeline.

    Allowed in any status to a user who works cases (as a comment is); it changes no evidence,
    so it does not touch the four-eyes fingerprint.
    """
    _act(engine, actor, case_id, wf.COMMENT, lambda _c, _r, _s: dict(details), event="export")


def fingerprint(con: Connection, case_id: str) -> str:
    """What an approval vouches for: title, typology, active evidence and attached files."""
    row = con.execute(select(cases.c.title, cases.c.typology).where(cases.c.id == case_id)).one()
    evidence = con.execute(
        select(case_evidence.c.kind, case_evidence.c.ref, case_evidence.c.snapshot).where(
            _active(case_id)
        )
    ).all()
    files = con.execute(
        select(case_attachments.c.sha256).where(case_attachments.c.case_id == case_id)
    ).all()
    body = {
        "title": row.title,
        "typology": row.typology,
        "evidence": sorted([e.kind, e.ref, sha256_hex(e.snapshot.encode())] for e in evidence),
        "files": sorted(f.sha256 for f in files),
    }
    return sha256_hex(canonical(body))


def _act(
    engine: Engine,
    actor: User,
    case_id: str,
    action: str,
    change: Change,
    *,
    decision: str | None = None,
    bump: bool = False,
    event: str | None = None,
    then: Callable[[Connection, str], str] | None = None,
) -> str:
    """`action` in one transaction (and `then`, given the new status, in the same one)."""
    kind = event or action
    try:
        with engine.begin() as con:
            status = _step(con, actor, case_id, action, change, decision, bump, event)
            if then is not None:
                status = then(con, status)
    except (wf.WorkflowError, CaseError) as exc:
        # every refusal is on the trail, the workflow's and a bad value's alike (an assignee of
        # another agency, evidence that does not exist, a case the actor may not see): the
        # trail is where a supervisor looks for who tried what
        details = {"action": kind, "reason": str(exc)}
        record(engine, actor.name, "case.refused", case_id, details)
        raise
    return status


def _step(
    con: Connection,
    actor: User,
    case_id: str,
    action: str,
    change: Change,
    decision: str | None = None,
    bump: bool = False,
    event: str | None = None,
) -> str:
    """One action on the locked case: the workflow's check, the change, the timeline event and
    the audit entry; returns the new status."""
    kind = event or action
    row = _locked(con, case_id)
    check_worked(con, actor, case_id, kind)
    current = fingerprint(con, case_id) if action == wf.APPROVE else None
    status = wf.next_status(_state(row), action, actor.name, actor.role, current, decision)
    details = change(con, row, status)
    now = iso(utcnow())
    version = row.version + 1 if bump else row.version
    con.execute(
        update(cases)
        .where(cases.c.id == case_id)
        .values(status=status, updated_at=now, version=version)
    )
    details = {"from": row.status, "to": status, **details}
    _event(con, case_id, actor.name, kind, details, now)
    append(con, actor.name, f"case.{kind}", case_id, details)
    return status


def check_worked(con: Connection, actor: User, case_id: str, action: str) -> None:
    """The case is the actor's agency's to work: one they may not see is "no case" (as in the
    service), one shared with their agency to read is a refusal (`reach`)."""
    marking = case_marking(con, case_id)
    if not sees(con, actor, marking):
        raise CaseError(f"no case {case_id}")
    agency = agency_of(con, actor)
    if marking.agency != agency:
        raise wf.WorkflowError(
            f"{action} refused: case {case_id} is shared with agency {agency} to read; only "
            f"agency {marking.agency} works it"
        )


def require_owner(engine: Engine, actor: User, case_id: str, action: str) -> None:
    """`check_worked` before work done outside a case action (a report built from the case)."""
    with engine.connect() as con:
        check_worked(con, actor, case_id, action)


def _dispose(con: Connection, row: Row[Any], _status: str) -> dict[str, Any]:
    """Keep the decision per alert: the label that later trains the risk model."""
    proposed = con.execute(
        select(case_events.c.details)
        .where(case_events.c.case_id == row.id, case_events.c.kind == wf.PROPOSE)
        .order_by(case_events.c.id.desc())
    ).first()
    label = json.loads(proposed.details).get("disposition") if proposed else None
    label = label or (TRUE_POSITIVE if row.decision == wf.REPORT else FALSE_POSITIVE)
    alerts = con.execute(
        select(case_evidence.c.ref).where(_active(row.id), case_evidence.c.kind == "alert")
    ).all()
    now = iso(utcnow())
    for (alert_id,) in alerts:
        con.execute(
            insert(case_dispositions).values(
                case_id=row.id, alert_id=alert_id, label=label,
                reason=row.proposal_reason or "", decided_by=row.approved_by or "",
                decided_at=now,
            )
        )  # fmt: skip
    return {"disposition": label, "alerts": [a for (a,) in alerts]}


def _locked(con: Connection, case_id: str) -> Row[Any]:
    row = con.execute(select(cases).where(cases.c.id == case_id).with_for_update()).first()
    if row is None:
        raise CaseError(f"no case {case_id}")
    return row


def _state(row: Row[Any]) -> wf.CaseState:
    return wf.CaseState(
        row.status, row.decision, row.proposed_by, row.proposed_fingerprint,
        report_generated=bool(row.report_sha256),
    )  # fmt: skip


def _active(case_id: str) -> Any:
    return (case_evidence.c.case_id == case_id) & case_evidence.c.removed_at.is_(None)


def _has(con: Connection, case_id: str, kind: str, ref: str) -> bool:
    found = con.execute(
        select(case_evidence.c.id).where(
            _active(case_id), case_evidence.c.kind == kind, case_evidence.c.ref == ref
        )
    ).first()
    return found is not None


def _add_evidence(
    con: Connection, case_id: str, user: str, evidence: Sequence[Evidence], now: str
) -> None:
    for item in evidence:
        con.execute(
            insert(case_evidence).values(
                case_id=case_id, kind=item.kind, ref=item.ref,
                snapshot=canonical(dict(item.snapshot)).decode(), added_by=user, added_at=now,
            )
        )  # fmt: skip


#: Timeline notes another capability writes on a case (no workflow step, no state change).
NOTES = ("share-revoked",)


def note_on_case(
    con: Connection, user: str, case_id: str, kind: str, details: Mapping[str, Any]
) -> None:
    """A note on the case's timeline and its audit entry (`case.KIND`), in the caller's
    transaction: a timeline event with no entry is what `audit verify` reports as one added
    outside jalur (a load's share taken back marked each derived case so, and every such
    case then read as tampered with)."""
    if kind not in NOTES:
        raise CaseError(f"no note {kind!r} on a case (one of {', '.join(NOTES)})")
    _event(con, case_id, user, kind, details, iso(utcnow()))
    append(con, user, f"case.{kind}", case_id, details)


def _event(
    con: Connection, case_id: str, user: str, kind: str, details: Mapping[str, Any], now: str
) -> None:
    con.execute(
        insert(case_events).values(
            case_id=case_id, at=now, user_name=user, kind=kind,
            details=canonical(dict(details)).decode(),
        )
    )  # fmt: skip


def _check_evidence(evidence: Sequence[Evidence]) -> None:
    for item in evidence:
        if item.kind not in EVIDENCE_KINDS:
            raise CaseError(f"evidence {item.ref}: kind must be one of {', '.join(EVIDENCE_KINDS)}")
        if not item.ref or len(item.ref) > 200:
            raise CaseError(f"evidence of kind {item.kind}: the id must have 1 to 200 characters")


def _check_reportable_reason(reason: str) -> None:
    """A reason the report can carry: once approved it cannot change, so one goAML refuses
    would leave the case approved and never reported."""
    if len(reason) > REASON_LIMIT:
        raise CaseError(
            f"the reason has {len(reason)} characters; goAML's reason holds at most "
            f"{REASON_LIMIT}: shorten it (the evidence and comments stay in the case)"
        )
    bad = _NOT_XML.search(reason)
    if bad is not None:
        raise CaseError(
            f"the reason holds U+{ord(bad.group()):04X}, which XML cannot carry (at character "
            f"{bad.start() + 1}): remove it"
        )


def _check_payments_held(
    con: Connection, case_id: str, report_type: str, report_codes: Mapping[str, str]
) -> None:
    """A transaction report needs the details of every payment the case holds, and at least
    one: approved without them, it could never be written (an account-only case, or a payment
    the workspace no longer held when it was added)."""
    if report_codes.get(report_type) != "transactions":
        return
    rows = con.execute(
        select(case_evidence.c.ref, case_evidence.c.snapshot).where(
            _active(case_id), case_evidence.c.kind == "payment"
        )
    ).all()
    bare = sorted(row.ref for row in rows if not _payment_details(row.snapshot))
    if bare:
        raise CaseError(
            f"{case_id}: a {report_type} report carries each payment, and the case holds no "
            f"details of payment(s) {', '.join(bare)} (not in the workspace when added): "
            f"remove them (`jalur cases remove {case_id} payment TX_ID`) or load them and add "
            "them again"
        )
    if rows:
        return
    activity = [code for code, shape in report_codes.items() if shape == "activity"]
    instead = f", or propose an activity report ({', '.join(activity)})" if activity else ""
    raise CaseError(
        f"{case_id}: a {report_type} report carries the case's payments, and the case holds "
        f"none: add them (`jalur cases add {case_id} payment TX_ID`, or the alert or channel "
        f"that holds them){instead}"
    )


def _check_subjects_described(con: Connection, case_id: str) -> None:
    """Every subject of a case to report must carry its FtM entity: the report names each,
    and one the case holds by id only (its list entry left the lists after the hit) would
    leave the approved case's report refused."""
    rows = con.execute(
        select(case_evidence.c.ref, case_evidence.c.snapshot).where(
            _active(case_id), case_evidence.c.kind == "subject"
        )
    ).all()
    bare = sorted(row.ref for row in rows if not subject_entity(json.loads(row.snapshot or "{}")))
    if bare:
        raise CaseError(
            f"{case_id}: the case holds no details of subject(s) {', '.join(bare)} (no longer in "
            f"the lists when added), and the report names each subject: remove them (`jalur "
            f"cases remove {case_id} subject ID`) or add their current list entry"
        )


def subject_entity(snapshot: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A subject snapshot's FtM entity (`entity`, or the snapshot itself), if it has one."""
    nested = snapshot.get("entity")
    data = nested if isinstance(nested, Mapping) else snapshot
    return data if "schema" in data else None


def _payment_details(snapshot: str) -> bool:
    """Whether a payment's snapshot holds its details (not only the id of one the workspace
    no longer held when it was added)."""
    found = json.loads(snapshot or "{}")
    return isinstance(found, Mapping) and bool(found) and not found.get("missing")


def _refs(evidence: Sequence[Evidence]) -> list[str]:
    return [f"{e.kind}:{e.ref}" for e in evidence]
