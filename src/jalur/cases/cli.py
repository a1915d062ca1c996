"""`jalur cases …`: thin commands over `service`; every change acts as a signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from jalur import users
from jalur.audit import AuditError, record
from jalur.cases import service as svc
from jalur.cases.attachments import store_file
from jalur.cases.evidence import accounts_without_payments, evidence_for
from jalur.cases.queries import case_details, describe, list_cases
from jalur.cases.reach import visible_cases
from jalur.cases.report import report_codes
from jalur.cases.workflow import DECISIONS, STATUSES, WorkflowError
from jalur.clikit import (
    EXIT_USAGE,
    JsonFlag,
    console,
    fail,
    open_store,
    plain,
    print_json,
    print_listing,
    report,
    settings_of,
    warn,
)
from jalur.inputs import file_problem

cases_app = typer.Typer(help="Cases: work alerts and hits, decide with four eyes, report.")
Ids = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]
ERRORS = (svc.CaseError, WorkflowError, users.AccessError, AuditError)


@cases_app.command("open")
def open_command(
    ctx: typer.Context,
    alert: Ids = None,
    hit: Ids = None,
    channel: Ids = None,
    account: Ids = None,
    subject: Ids = None,
    title: Annotated[str | None, typer.Option(help="Defaults to the first evidence.")] = None,
    typology: Annotated[str | None, typer.Option(help="Defaults to the alert's.")] = None,
    attach_to: Annotated[str | None, typer.Option("--attach-to", help="Add to this case.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Open a case from alerts, screening hits (PARTY/ENTITY), traced channels, accounts or
    subjects (FtM entity ids); the evidence is pulled in with a snapshot of each."""
    asked = [("alert", alert), ("hit", hit), ("channel", channel), ("account", account),
             ("subject", subject)]  # fmt: skip
    evidence, unpaid = _gather(ctx, [(kind, ref) for kind, refs in asked for ref in refs or []])
    if not evidence:
        raise fail("give at least one --alert, --hit, --channel, --account or --subject", code=2)
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.WORK_CASES, "open a case")
        _default_agency_only(engine, me, attach_to)
        try:
            if attach_to:
                added = len(svc.add_evidence(engine, me, attach_to, evidence))
                case_id = attach_to
            else:
                name = title or f"{evidence[0].kind} {evidence[0].ref}"
                case_id = svc.open_case(engine, me, name, evidence, typology)
        except ERRORS as exc:
            raise fail(f"{exc} (nothing was changed)") from exc
    _warn_unpaid(ctx, case_id, unpaid)
    if not attach_to:
        report(as_json, {"case_id": case_id}, f"{case_id}: {len(evidence)} evidence item(s)")
        return
    already = len(evidence) - added  # the case held them: not added twice
    told = f"{case_id}: {added} evidence item(s) added, {already} already in the case"
    report(as_json, {"case_id": case_id, "added": added, "already": already}, told)


def _default_agency_only(engine: Engine, me: users.User, attach_to: str | None) -> None:
    """The command line reads the default agency's analytical data (docs/service.md), so only
    its users open cases from it here; another agency's users open theirs through the service
    (adding to a case of their own agency is checked like every other case action)."""
    with engine.connect() as con:
        default = users.default_agency(con)
    if not attach_to and (me.agency or default) != default:
        raise fail(
            f"open a case refused: {me.name} works for agency {me.agency}, and the command line "
            f"opens cases on agency {default}'s data; open it through the service (POST "
            "/v1/cases) (nothing was changed)"
        )


def _gather(
    ctx: typer.Context, asked: list[tuple[str, str]]
) -> tuple[list[svc.Evidence], list[str]]:
    """The evidence behind each (kind, id), read from the analytical store (first one wins),
    and the accounts asked for by number that have no payment in the workspace (an alert's or
    a channel's accounts come with their payments)."""
    found: list[svc.Evidence] = []
    with open_store(ctx) as store:
        try:
            for kind, ref in asked:
                found += evidence_for(store, kind, ref)
        except svc.CaseError as exc:
            raise fail(f"{exc} (nothing was changed)") from exc
        unpaid = accounts_without_payments(store, [ref for kind, ref in asked if kind == "account"])
    unique: dict[tuple[str, str], svc.Evidence] = {}
    for item in found:
        unique.setdefault((item.kind, item.ref), item)
    return list(unique.values()), unpaid


def _warn_unpaid(ctx: typer.Context, case_id: str, accounts: list[str]) -> None:
    """An account without payments makes a case for an activity report only: said now, not
    when the transaction report is proposed (or, before, approved and never written)."""
    if not accounts:
        return
    codes = report_codes(settings_of(ctx).section("reporting"))
    activity = ", ".join(code for code, shape in codes.items() if shape == "activity")
    kind = f"an activity report ({activity})" if activity else "an activity report"
    for account in accounts:
        warn(
            f"account {account} has no payment in the workspace: a case on it alone "
            f"({case_id}) can be reported as {kind}, not as a transaction report"
        )


@cases_app.command("show")
def show_command(ctx: typer.Context, case_id: str, as_json: JsonFlag = False) -> None:
    """A case: status, decision, evidence and timeline (recorded: it discloses the case)."""
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.READ_CASES, f"show {case_id}")
        details = case_details(engine, case_id)
        if details is None or not visible_cases(engine, me, [case_id]):
            raise fail(f"no case {case_id}")
        record(engine, me.name, "case.show", case_id, {})
    if as_json:
        print_json(details)
        return
    console.print(f"{plain(case_id)} \\[{plain(details['status'])}] {plain(details['title'])}")
    console.print(
        f"typology {details['typology'] or '-'}, assignee {details['assignee'] or '-'}",
        markup=False,
    )
    for item in details["evidence"]:
        gone = " (removed)" if item["removed_at"] else ""
        console.print(
            f"  evidence {item['kind']} {item['ref']}{gone}", highlight=False, markup=False
        )
        for line in describe(item["kind"], item["snapshot"]):
            console.print(f"      {line}", highlight=False, markup=False)
    for event in details["timeline"]:
        console.print(
            f"  {event['at']} {event['user']} {event['action']} {event['details']}", markup=False
        )


@cases_app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option()] = None,
    assignee: Annotated[str | None, typer.Option()] = None,
    typology: Annotated[str | None, typer.Option()] = None,
    older_than: Annotated[int | None, typer.Option(help="Opened at least N days ago.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Cases, filtered by status, assignee, typology and age."""
    if status is not None and status not in STATUSES:
        raise fail(f"--status must be one of {', '.join(STATUSES)}, not {status!r}", EXIT_USAGE)
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.READ_CASES, "list cases")
        found = list_cases(engine, status, assignee, typology, older_than)
        seen = visible_cases(engine, me, [c["case_id"] for c in found])
        found = [c for c in found if c["case_id"] in seen]
    print_listing(
        as_json,
        found,
        ("case", "status", "typology", "assignee", "opened", "title"),
        ((c["case_id"], c["status"], c["typology"] or "", c["assignee"] or "", c["opened_at"],
          c["title"]) for c in found),
    )  # fmt: skip


def _act(
    ctx: typer.Context,
    case_id: str,
    what: str,
    run: Callable[[Engine, users.User], object],
    as_json: bool = False,
) -> None:
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.READ_CASES, f"{what} {case_id}")
        try:
            run(engine, me)
        except ERRORS as exc:
            raise fail(f"{exc}") from exc
    report(as_json, {"case_id": case_id, "action": what, "by": me.name}, f"{case_id}: {what} done")


@cases_app.command("assign")
def assign_command(
    ctx: typer.Context, case_id: str, assignee: str, as_json: JsonFlag = False
) -> None:
    """Assign a case to a user."""
    _act(ctx, case_id, "assign", lambda e, me: svc.assign(e, me, case_id, assignee), as_json)


@cases_app.command("comment")
def comment_command(ctx: typer.Context, case_id: str, text: str, as_json: JsonFlag = False) -> None:
    """Add a comment to the timeline."""
    _act(ctx, case_id, "comment", lambda e, me: svc.comment(e, me, case_id, text), as_json)


@cases_app.command("attach")
def attach_command(ctx: typer.Context, case_id: str, file: Path, as_json: JsonFlag = False) -> None:
    """Attach a file (stored once by its SHA-256 in the workspace)."""
    problem = file_problem(file)  # a FIFO or a device: named, never opened
    if problem or not file.is_file():
        raise fail(f"{file}: {problem or 'no such file'}")
    folder = settings_of(ctx).home / "attachments"

    def run(e: Engine, me: users.User) -> None:
        sha, size = store_file(folder, file)
        svc.attach_file(e, me, case_id, file.name, sha, size)

    _act(ctx, case_id, "attach", run, as_json)


@cases_app.command("add")
def add_command(
    ctx: typer.Context, case_id: str, kind: str, ref: str, as_json: JsonFlag = False
) -> None:
    """Add evidence by kind and id (alert, hit, channel, subject, account, payment), pulled in
    with its snapshot like `cases open` does."""
    items, unpaid = _gather(ctx, [(kind, ref)])
    _act(ctx, case_id, "add", lambda e, me: svc.add_evidence(e, me, case_id, items), as_json)
    _warn_unpaid(ctx, case_id, unpaid)


@cases_app.command("remove")
def remove_command(
    ctx: typer.Context, case_id: str, kind: str, ref: str, as_json: JsonFlag = False
) -> None:
    """Remove evidence (kept in the history, marked removed)."""
    _act(
        ctx,
        case_id,
        "remove",
        lambda e, me: svc.remove_evidence(e, me, case_id, kind, ref),
        as_json,
    )


@cases_app.command("propose")
def propose_command(
    ctx: typer.Context,
    case_id: str,
    decision: Annotated[str, typer.Option(help="report or close")],
    reason: Annotated[str, typer.Option()],
    report_type: Annotated[str | None, typer.Option(help="LTKM, LTKMT or LAPT")] = None,
    disposition: Annotated[str | None, typer.Option(help="true-positive / false-positive")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Propose to report or close; a different supervisor approves."""
    for option, value, allowed in (("decision", decision, DECISIONS),
                                   ("disposition", disposition, svc.DISPOSITIONS)):  # fmt: skip
        if value is not None and value not in allowed:
            raise fail(f"--{option} must be one of {', '.join(allowed)}, not {value!r}", EXIT_USAGE)
    codes = report_codes(settings_of(ctx).section("reporting")) if decision == "report" else ()
    _act(ctx, case_id, "propose", lambda e, me: svc.propose(
        e, me, case_id, decision, reason, report_type, disposition, codes), as_json)  # fmt: skip


@cases_app.command("approve")
def approve_command(
    ctx: typer.Context,
    case_id: str,
    proposed_at: Annotated[
        str | None,
        typer.Option(
            "--proposed-at",
            help="The proposal you read (its proposed_at in `cases show`): refused if another "
            "was proposed since.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Approve the pending proposal (a supervisor other than the proposer)."""
    read = {"proposed_at": proposed_at} if proposed_at else None
    _act(ctx, case_id, "approve", lambda e, me: svc.approve(e, me, case_id, read), as_json)


@cases_app.command("withdraw")
def withdraw_command(
    ctx: typer.Context,
    case_id: str,
    reason: Annotated[str, typer.Option()],
    as_json: JsonFlag = False,
) -> None:
    """Take back your own proposal before it is decided (the case goes back to investigating)."""
    _act(ctx, case_id, "withdraw", lambda e, me: svc.withdraw(e, me, case_id, reason), as_json)


@cases_app.command("return")
def return_command(
    ctx: typer.Context,
    case_id: str,
    reason: Annotated[str, typer.Option()],
    as_json: JsonFlag = False,
) -> None:
    """Send the proposal back to the analyst with a reason (also an approved case whose report
    was not generated)."""
    _act(ctx, case_id, "return", lambda e, me: svc.return_case(e, me, case_id, reason), as_json)


@cases_app.command("mark-reported")
def mark_reported_command(
    ctx: typer.Context,
    case_id: str,
    reference: Annotated[str, typer.Option()],
    as_json: JsonFlag = False,
) -> None:
    """Record the FIU's acknowledgement of the report."""
    _act(ctx, case_id, "mark-reported",
         lambda e, me: svc.mark_reported(e, me, case_id, reference), as_json)  # fmt: skip
