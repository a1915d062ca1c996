"""Reading cases: one case with its timeline, evidence and decisions; lists with filters."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select

from jalur.canonical import iso, utcnow
from jalur.clikit import score_text
from jalur.sqlstore.schema import (
    case_attachments,
    case_dispositions,
    case_events,
    case_evidence,
    cases,
)

DECISION_FIELDS = (
    "decision", "report_type", "proposal_reason", "proposed_by", "proposed_at",
    "approved_by", "approved_at", "report_reference", "report_sha256",
)  # fmt: skip


def case_details(engine: Engine, case_id: str) -> dict[str, Any] | None:
    """Everything about one case (None when there is no such case)."""
    with engine.connect() as con:
        row = con.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if row is None:
            return None
        events = con.execute(
            select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id)
        ).mappings()
        timeline = [
            {"at": e["at"], "user": e["user_name"], "action": e["kind"],
             "details": json.loads(e["details"])}
            for e in events
        ]  # fmt: skip
        evidence = con.execute(
            select(case_evidence)
            .where(case_evidence.c.case_id == case_id)
            .order_by(case_evidence.c.id)
        ).mappings()
        items = [
            {"kind": e["kind"], "ref": e["ref"], "snapshot": json.loads(e["snapshot"]),
             "added_by": e["added_by"], "added_at": e["added_at"],
             "removed_by": e["removed_by"], "removed_at": e["removed_at"]}
            for e in evidence
        ]  # fmt: skip
        files = con.execute(
            select(case_attachments).where(case_attachments.c.case_id == case_id)
        ).mappings()
        labels = con.execute(
            select(case_dispositions).where(case_dispositions.c.case_id == case_id)
        ).mappings()
        return {
            "case_id": row["id"],
            "title": row["title"],
            "status": row["status"],
            "typology": row["typology"],
            "assignee": row["assignee"],
            "opened_by": row["opened_by"],
            "opened_at": row["opened_at"],
            "updated_at": row["updated_at"],
            "version": row["version"],
            "decision": {name: row[name] for name in DECISION_FIELDS},
            "evidence": items,
            "attachments": [dict(f) for f in files],
            "dispositions": [dict(d) for d in labels],
            "timeline": timeline,
        }


def list_cases(
    engine: Engine,
    status: str | None = None,
    assignee: str | None = None,
    typology: str | None = None,
    older_than_days: int | None = None,
) -> list[dict[str, Any]]:
    """Cases, oldest first, filtered by status, assignee, typology and age."""
    query = select(
        cases.c.id, cases.c.title, cases.c.status, cases.c.typology, cases.c.assignee,
        cases.c.opened_at, cases.c.updated_at,
    ).order_by(cases.c.opened_at, cases.c.id)  # fmt: skip
    if status:
        query = query.where(cases.c.status == status)
    if assignee:
        query = query.where(cases.c.assignee == assignee)
    if typology:
        query = query.where(cases.c.typology == typology)
    if older_than_days is not None:
        cutoff = iso(utcnow() - timedelta(days=older_than_days))
        query = query.where(cases.c.opened_at <= cutoff)
    with engine.connect() as con:
        return [{**dict(r), "case_id": r["id"]} for r in con.execute(query).mappings()]


def _list_version(entry: dict[str, Any]) -> str:
    """ "un-sc version 3 of 2026-02-27": the list's own version number (snapshots made before
    per-list numbers hold only the store-wide id) and the date the list was published."""
    number = entry.get("version") or entry["version_id"]
    published = f" of {entry['published']}" if entry.get("published") else ""
    return f"{entry['list']} (version {number}{published})"


def describe(kind: str, snapshot: dict[str, Any]) -> list[str]:
    """A few lines an analyst reads under each piece of evidence in `cases show`."""
    if kind == "subject":
        lines = [f"{snapshot.get('caption') or '?'} ({snapshot.get('schema') or '?'}, "
                 f"from {snapshot.get('source') or '?'})"]  # fmt: skip
        for entry in snapshot.get("entries") or []:
            programmes = [
                p for r in entry.get("related") or []
                for p in r.get("properties", {}).get("program", [])
            ]  # fmt: skip
            lines.append(
                f"listed on {_list_version(entry)}"
                + (f": {'; '.join(programmes)}" if programmes else "")
            )
        for hit in snapshot.get("screening") or []:
            lines.append(
                f"screening: {hit['party_id']} scored {float(hit['score']):.3f} "
                f"on {hit['list_name']}; {hit.get('explanation') or ''}"
            )
        return lines
    if kind == "channel":
        path = " → ".join(snapshot.get("path") or [])
        return [f"{_amount(snapshot.get('amount'))} {snapshot.get('currency') or ''} over "
                f"{snapshot.get('hops')} hops: {path} ({snapshot.get('trace_id')})"]  # fmt: skip
    if kind == "alert":
        return [f"{snapshot.get('typology')} {_score(snapshot.get('score'))}: "
                f"{snapshot.get('explanation')}"]  # fmt: skip
    if kind == "account" and snapshot.get("name"):
        role = f" ({snapshot['role']})" if snapshot.get("role") else ""
        return [f"{snapshot['name']}{role}"]
    if kind == "payment" and snapshot.get("tx_id"):
        return [f"{snapshot.get('timestamp')} {_party(snapshot, 'orig')} → "
                f"{_party(snapshot, 'bene')} {_amount(snapshot.get('amount'))} "
                f"{snapshot.get('currency')}"]  # fmt: skip
    return []


def _amount(value: object) -> str:
    """An amount as `alerts show` and `accounts show` print it (21,302.17): the float noise a
    converted amount carries (21302.170000000002) read away; a fraction of a cent is kept."""
    if not isinstance(value, int | float | str) or isinstance(value, bool):
        return "?"
    try:
        clean = float(f"{float(value):.15g}")
    except ValueError:
        return str(value)
    text = f"{clean:,.2f}"
    return text if float(text.replace(",", "")) == clean else f"{clean:,}"


def _score(value: object) -> str:
    """A score with the digits every table shows (`clikit.score_text`)."""
    try:
        return score_text(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def _party(snapshot: dict[str, Any], side: str) -> str:
    """A payment side by its account, else its name (cash), else '-'."""
    return str(snapshot.get(f"{side}_account") or snapshot.get(f"{side}_name") or "-")


def disclosable(details: dict[str, Any]) -> dict[str, Any]:
    """What of a case may go to a partner: its subjects as FtM entities (with the entities that
    describe them: a Sanction, a BankAccount), the list each came from, its payments' ids.

    Only active evidence counts; a subject whose snapshot holds no entity (it had left the lists
    when it was added) is named in `missing` rather than silently left out.
    """
    subjects: list[dict[str, Any]] = []
    related: dict[str, dict[str, Any]] = {}
    lists: dict[str, str] = {}
    missing: list[str] = []
    payments: list[str] = []
    for item in details["evidence"]:
        if item["removed_at"]:
            continue
        snap = item["snapshot"]
        if item["kind"] == "payment":
            payments.append(item["ref"])
        if item["kind"] != "subject":
            continue
        if not snap.get("entity"):
            missing.append(item["ref"])
            continue
        subjects.append(snap["entity"])
        lists[item["ref"]] = snap.get("list") or snap.get("source") or "case"
        for extra in [r for e in snap.get("entries") or [] for r in e.get("related") or []] + list(
            snap.get("related") or []
        ):
            related.setdefault(extra["id"], extra)
            lists.setdefault(extra["id"], lists[item["ref"]])
    return {"subjects": subjects, "related": list(related.values()), "lists": lists,
            "payments": payments, "missing": missing}  # fmt: skip
