"""Which cases cite given evidence: an alert's case, the cases on a load's payments.

Callers (the service, the web UI) asked the evidence table directly, each with its own idea of
which cases the reader may see. Here it is one read of the active evidence that names the refs
asked about, scoped to the reader (`reach`): a user gets the cases they see, and the agency
that owns data taking back a share gets the cases the other agency owns, never more.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select

from jalur.cases.reach import case_marking, sees
from jalur.sqlstore.schema import case_evidence
from jalur.users import Marking, User

#: Citations in one page unless the caller asks for another size.
CITATIONS_PAGE = 500


@dataclass(frozen=True)
class Citation:
    """One active evidence item of a case: the case, what it holds, the snapshot taken."""

    case_id: str
    kind: str
    ref: str
    snapshot: Mapping[str, Any] = field(default_factory=dict)


def cases_citing(
    engine: Engine,
    reader: User,
    kinds: Collection[str] = (),
    refs: Collection[str] | None = None,
    *,
    offset: int = 0,
    limit: int | None = CITATIONS_PAGE,
) -> list[Citation]:
    """The active evidence of `kinds` (any when empty) naming `refs` (any when None) in the
    cases `reader` sees (their agency's, or shared with it, within their clearance), oldest
    first, from `offset`, at most `limit` (None: all). A case they may not see is left out
    as if it did not exist."""
    return _citing(engine, lambda con, marking: sees(con, reader, marking), kinds, refs,
                   offset, limit)  # fmt: skip


def agency_cases_citing(
    engine: Engine,
    agency: str,
    kinds: Collection[str] = (),
    refs: Collection[str] | None = None,
    *,
    offset: int = 0,
    limit: int | None = CITATIONS_PAGE,
) -> list[Citation]:
    """`cases_citing` for the cases `agency` owns, whoever reads: for the agency that owns a
    load taking back its share, which must find (and mark) what the other agency made of it."""
    return _citing(engine, lambda _con, marking: marking.agency == agency, kinds, refs,
                   offset, limit)  # fmt: skip


def _citing(
    engine: Engine,
    reaches: Callable[[Connection, Marking], bool],
    kinds: Collection[str],
    refs: Collection[str] | None,
    offset: int,
    limit: int | None,
) -> list[Citation]:
    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError("offset and limit count citations: 0 or more")
    if refs is not None and not refs:
        return []
    ev = case_evidence
    query = select(ev.c.case_id, ev.c.kind, ev.c.ref, ev.c.snapshot).where(
        ev.c.removed_at.is_(None)
    )
    if kinds:
        query = query.where(ev.c.kind.in_(sorted(set(kinds))))
    if refs is not None:
        query = query.where(ev.c.ref.in_(sorted(set(refs))))
    with engine.connect() as con:
        rows = con.execute(query.order_by(ev.c.id)).all()
        reached = {
            case_id
            for case_id in {str(r.case_id) for r in rows}
            if reaches(con, case_marking(con, case_id))
        }
    found = [
        Citation(str(r.case_id), str(r.kind), str(r.ref), json.loads(r.snapshot or "{}"))
        for r in rows
        if str(r.case_id) in reached
    ]
    return found[offset:] if limit is None else found[offset : offset + limit]
