"""Each case's stored state checked against its audited actions: a direct edit of the tables.

The hash chain proves the audit trail was not edited; it says nothing of the `cases` row beside
it. Every case action writes its change, a timeline event and an audit entry in one transaction
(`service._act`), and the entry's details hold what changed (status from/to, assignee, the
proposal, the approver, the report's hash and reference, the disposition per alert, evidence
added or removed, files attached). Replaying a case's entries oldest first therefore gives the
state its row, evidence, attachments, dispositions and timeline must hold now; an `UPDATE cases
SET status = 'closed'` (or of the assignee, the decision, a disposition label, a comment) made
in the database and not through jalur differs from it, and `jalur audit verify` (and
`/v1/audit/verify`) names the case, the field and the entry that last set it.

What no entry records is not compared: times of the row (`updated_at`, `approved_at`), its
`version`, evidence snapshots (the four-eyes fingerprint already guards them at approval).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from jalur.cases import workflow as wf
from jalur.cases.report import REPORT_GENERATED
from jalur.cases.service import NOTES
from jalur.sqlstore import snapshot
from jalur.sqlstore.schema import (
    audit_log,
    case_attachments,
    case_dispositions,
    case_events,
    case_evidence,
    cases,
)

#: Fields of the `cases` row a proposal sets, each recorded under its own name.
_PROPOSAL = ("decision", "report_type", "proposal_reason", "proposed_by", "proposed_at",
             "proposed_fingerprint")  # fmt: skip
_OPEN = "case.open"
#: Entries of timeline notes (`service.NOTES`): an event each, no change of state.
_NOTES = tuple(f"case.{kind}" for kind in NOTES)
_BATCH = 20_000


@dataclass(frozen=True)
class CaseProblem:
    """One way a case's stored state differs from its audited actions, and the entry that set
    what was expected (None: no entry to cite)."""

    case_id: str
    what: str
    entry: int | None = None

    def __str__(self) -> str:
        return self.unnumbered() + (f" (audit entry {self.entry})" if self.entry else "")

    def unnumbered(self) -> str:
        """Without the entry's sequence number: for a reader who may not learn how many entries
        the whole trail (every agency's) holds."""
        return f"case {self.case_id}: {self.what}"


class _Timeline:
    """A case's events as one digest and a count: the audited and the stored timeline are
    compared without holding every event of every case (comments can be long)."""

    def __init__(self) -> None:
        self.events = 0
        self._digest = hashlib.sha256()

    def add(self, kind: str, user: str | None, details: Mapping[str, Any]) -> None:
        self.events += 1
        line = json.dumps([kind, user, details], sort_keys=True, ensure_ascii=False)
        self._digest.update(line.encode() + b"\n")

    def same(self, other: _Timeline) -> bool:
        return self.events == other.events and self._digest.digest() == other._digest.digest()


@dataclass
class _Expected:
    """A case as its audit entries say it is, and the entry that last set each field."""

    fields: dict[str, Any] = field(default_factory=dict)
    set_by: dict[str, int] = field(default_factory=dict)
    evidence: set[str] = field(default_factory=set)
    files: Counter[str] = field(default_factory=Counter)
    dispositions: dict[str, tuple[str, int]] = field(default_factory=dict)
    timeline: _Timeline = field(default_factory=_Timeline)

    def set(self, seq: int, **values: Any) -> None:
        for name, value in values.items():
            self.fields[name] = value
            self.set_by[name] = seq


def check_cases(engine: Engine) -> list[CaseProblem]:
    """Each way a case's stored state is not what its audited actions give (none: all agree)."""
    with snapshot(engine) as con:
        expected, problems = _replay(con)
        problems += _compare(con, expected)
    return problems


def _replay(con: Connection) -> tuple[dict[str, _Expected], list[CaseProblem]]:
    found: dict[str, _Expected] = {}
    problems: list[CaseProblem] = []
    for seq, user, action, obj, details in _case_entries(con):
        if action == _OPEN:
            if obj in found:
                problems.append(CaseProblem(obj, "opened again", seq))
            found[obj] = _opened(seq, user, details)
            continue
        case = found.get(obj)
        if case is None:
            problems.append(CaseProblem(obj, f"{action} comes before its opening", seq))
            continue
        _apply(case, seq, user, action, details)
    return found, problems


def _case_entries(con: Connection) -> Iterator[tuple[int, str | None, str, str, dict[str, Any]]]:
    """The entries that changed a case, oldest first: its opening, every workflow action
    (their details say `from` and `to`), its report. Reads (`case.show`) and refusals carry
    no `to` and change nothing."""
    query = (
        select(
            audit_log.c.seq,
            audit_log.c.user_name,
            audit_log.c.action,
            audit_log.c.object,
            audit_log.c.details,
        )
        .where(
            audit_log.c.object.is_not(None),
            or_(audit_log.c.action.like("case.%"), audit_log.c.action == REPORT_GENERATED),
        )
        .order_by(audit_log.c.seq)
    )
    for seq, user, action, obj, text in con.execute(query, execution_options={"yield_per": _BATCH}):
        details = _details(text)
        if action in (_OPEN, REPORT_GENERATED, *_NOTES) or "to" in details:
            yield int(seq), user, str(action), str(obj), details


def _opened(seq: int, user: str | None, details: Mapping[str, Any]) -> _Expected:
    case = _Expected()
    case.set(
        seq,
        status=wf.OPEN,
        title=details.get("title"),
        typology=details.get("typology"),
        opened_by=user,
        assignee=None,
        approved_by=None,
        report_reference=None,
        report_sha256=None,
        **dict.fromkeys(_PROPOSAL),
    )
    case.evidence.update(str(ref) for ref in details.get("evidence") or [])
    case.timeline.add("open", user, details)
    return case


def _apply(case: _Expected, seq: int, user: str | None, action: str, d: Mapping[str, Any]) -> None:
    kind = action.removeprefix("case.")
    case.timeline.add(kind, user, d)
    if action in _NOTES:
        return
    if action == REPORT_GENERATED:
        case.set(seq, report_sha256=d.get("sha256"))
        return
    case.set(seq, status=d.get("to"))
    if kind == wf.EDIT:
        _edited(case, seq, d)
    elif kind == wf.PROPOSE:
        case.set(seq, **{name: d.get(name) for name in _PROPOSAL})
    elif kind == wf.APPROVE:
        case.set(seq, approved_by=user)
    elif kind == wf.RETURN and d.get("from") == wf.APPROVED:
        case.set(seq, approved_by=None)
    if kind == wf.MARK_REPORTED:
        case.set(seq, report_reference=d.get("reference"))
    if kind in (wf.CLOSE_CASE, wf.MARK_REPORTED) and "alerts" in d:
        for alert in d.get("alerts") or []:
            case.dispositions[str(alert)] = (str(d.get("disposition")), seq)


def _edited(case: _Expected, seq: int, d: Mapping[str, Any]) -> None:
    """An edit: an assignee, evidence added or removed, or a file attached."""
    if "assignee" in d:
        case.set(seq, assignee=d["assignee"])
    case.evidence.update(str(ref) for ref in d.get("added") or [])
    case.evidence.difference_update(str(ref) for ref in d.get("removed") or [])
    if "sha256" in d and "file" in d:
        case.files[str(d["sha256"])] += 1


def _compare(con: Connection, expected: Mapping[str, _Expected]) -> list[CaseProblem]:
    """Each table read once (not a query per case per table): the check stays one pass."""
    problems: list[CaseProblem] = []
    stored = {row.id: row for row in con.execute(select(cases))}
    for case_id in sorted(set(stored) - set(expected)):
        problems.append(CaseProblem(case_id, "in the database with no audited opening"))
    evidence, files = _evidence(con), _files(con)
    decided, timelines = _dispositions(con), _timelines(con)
    for case_id, case in expected.items():
        row = stored.get(case_id)
        if row is None:
            opened = case.set_by["title"]
            problems.append(CaseProblem(case_id, "opened but gone from the database", opened))
            continue
        problems += _field_problems(case_id, row._mapping, case)
        held = evidence.get(case_id, set())
        if held != case.evidence:
            problems.append(CaseProblem(case_id, f"its evidence is {sorted(held)} in the "
                                        f"database, but {sorted(case.evidence)} by the audit "
                                        "trail"))  # fmt: skip
        if files.get(case_id, Counter()) != case.files:
            problems.append(CaseProblem(case_id, "its attached files differ from the trail's"))
        problems += _disposition_problems(case_id, decided.get(case_id, []), case)
        timeline = timelines.get(case_id, _Timeline())
        if not timeline.same(case.timeline):
            problems.append(CaseProblem(
                case_id, f"its timeline differs from the audit trail ({timeline.events} events "
                f"stored, {case.timeline.events} audited): an event was changed, added or "
                "removed outside jalur",
            ))  # fmt: skip
    return problems


def _field_problems(case_id: str, row: Mapping[Any, Any], case: _Expected) -> list[CaseProblem]:
    return [
        CaseProblem(
            case_id,
            f"{name} is {row[name]!r} in the database, but {value!r} by the "
            "audit trail: changed outside jalur",
            case.set_by[name],
        )
        for name, value in case.fields.items()
        if row[name] != value
    ]


def _evidence(con: Connection) -> dict[str, set[str]]:
    """Every case's active evidence, as `kind:ref`."""
    found: dict[str, set[str]] = defaultdict(set)
    query = select(case_evidence.c.case_id, case_evidence.c.kind, case_evidence.c.ref).where(
        case_evidence.c.removed_at.is_(None)
    )
    for case_id, kind, ref in con.execute(query, execution_options={"yield_per": _BATCH}):
        found[case_id].add(f"{kind}:{ref}")
    return found


def _files(con: Connection) -> dict[str, Counter[str]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for case_id, sha in con.execute(select(case_attachments.c.case_id, case_attachments.c.sha256)):
        found[case_id][str(sha)] += 1
    return found


def _dispositions(con: Connection) -> dict[str, list[tuple[str, str, str]]]:
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    query = select(case_dispositions.c.case_id, case_dispositions.c.alert_id,
                   case_dispositions.c.label, case_dispositions.c.decided_by)  # fmt: skip
    for case_id, alert, label, by in con.execute(query, execution_options={"yield_per": _BATCH}):
        found[case_id].append((str(alert), str(label), str(by)))
    return found


def _timelines(con: Connection) -> dict[str, _Timeline]:
    """Every case's stored timeline (comments included), streamed in event order."""
    found: dict[str, _Timeline] = defaultdict(_Timeline)
    query = select(
        case_events.c.case_id, case_events.c.kind, case_events.c.user_name, case_events.c.details
    ).order_by(case_events.c.id)
    for case_id, kind, user, text in con.execute(query, execution_options={"yield_per": _BATCH}):
        found[case_id].add(str(kind), user, _details(text))
    return found


def _disposition_problems(
    case_id: str, rows: list[tuple[str, str, str]], case: _Expected
) -> list[CaseProblem]:
    stored = {alert: label for alert, label, _ in rows}
    wanted = {alert: label for alert, (label, _) in case.dispositions.items()}
    problems = [
        CaseProblem(
            case_id,
            f"alert {alert} is decided {stored.get(alert)!r} in the database, "
            f"but {label!r} by the audit trail",
            case.dispositions[alert][1],
        )
        for alert, label in sorted(wanted.items())
        if stored.get(alert) != label
    ]
    problems += [
        CaseProblem(
            case_id, f"alert {alert} is decided {label!r} in the database, with no audited decision"
        )
        for alert, label in sorted(stored.items())
        if alert not in wanted
    ]
    approver = case.fields.get("approved_by")
    if approver is not None and any(by != approver for _, _, by in rows):
        problems.append(
            CaseProblem(
                case_id,
                f"its dispositions name another approver than {approver}, who approved it by "
                "the audit trail",
            )
        )
    return problems


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"__unreadable__": text}
    return value if isinstance(value, dict) else {"__not_an_object__": value}
