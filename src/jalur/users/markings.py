"""Markings of records kept elsewhere, in the transactional store, by the records' own ids.

A marking says which agency owns a record, its classification and its handling caveats; a share
lets another agency see it too. Kinds and their ids: `list` (list name), `run` (monitoring run
id), `case` (case id), `job` (job id), `package`, `report`, `load` (phase 2). A record with no
marking row belongs to the installation's default agency at DEFAULT_CLASSIFICATION with no
caveats: everything loaded by the command line before the service existed. Markings are only
ever written, never dropped: the marking of a record that is gone stays as its history.

They live beside the users and their clearances (not in the service) because the command line
marks too: a partner's package imported by `jalur exchange import` carries the partner's
marking exactly as one imported through the service does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from jalur.audit import append, take_turn
from jalur.canonical import iso, utcnow
from jalur.sqlstore import schema
from jalur.users.clearance import (
    DEFAULT_CLASSIFICATION,
    EGMONT,
    check_caveats,
    check_classification,
    level,
)

KINDS = ("list", "run", "case", "job", "package", "report", "load")

#: A caveat code as a partner may state it (free-text caveats stay in the manifest).
_CAVEAT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Marking:
    """Who owns a record, how it is classified, which caveats it carries, who it is shared with."""

    agency: str
    classification: str
    caveats: tuple[str, ...]
    shared_with: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, object]:
        return {
            "agency": self.agency,
            "classification": self.classification,
            "caveats": list(self.caveats),
        }


def strictest(found: Iterable[Marking], agency: str) -> Marking:
    """What a record made of others carries: the highest classification, every caveat."""
    items = list(found)
    if not items:
        return Marking(agency, DEFAULT_CLASSIFICATION, ())
    top = max((m.classification for m in items), key=level)
    caveats = check_caveats(c for m in items for c in m.caveats)
    return Marking(agency, top, caveats)


def markings_of(con: Connection, kind: str, default_agency: str) -> dict[str, Marking]:
    """Every marked record of `kind` by id (unmarked ones are absent: see `default_of`)."""
    shares: dict[str, set[str]] = {}
    for row in con.execute(
        select(schema.marking_shares.c.ref, schema.marking_shares.c.agency).where(
            schema.marking_shares.c.kind == kind
        )
    ):
        shares.setdefault(row.ref, set()).add(row.agency)
    found = {
        row.ref: Marking(
            row.agency,
            row.classification,
            tuple(json.loads(row.caveats)),
            frozenset(shares.pop(row.ref, set())),
        )
        for row in con.execute(select(schema.markings).where(schema.markings.c.kind == kind))
    }
    for ref, agencies in shares.items():  # shared but never marked: the default agency's
        found[ref] = Marking(default_agency, DEFAULT_CLASSIFICATION, (), frozenset(agencies))
    return found


def default_of(default_agency: str) -> Marking:
    return Marking(default_agency, DEFAULT_CLASSIFICATION, ())


def mark(
    con: Connection,
    kind: str,
    ref: str,
    marking: Marking,
    by: str,
) -> Marking:
    """Record the marking of a new record (audited); a record already marked keeps its own."""
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    checked = Marking(
        marking.agency, check_classification(marking.classification),
        check_caveats(marking.caveats),
    )  # fmt: skip
    take_turn(con)  # a second writer of this record checks after the first one committed
    exists = con.execute(
        select(schema.markings.c.ref).where(
            schema.markings.c.kind == kind, schema.markings.c.ref == ref
        )
    ).first()
    if exists:
        return checked
    con.execute(
        insert(schema.markings).values(
            kind=kind, ref=ref, agency=checked.agency, classification=checked.classification,
            caveats=json.dumps(list(checked.caveats)), marked_by=by, marked_at=iso(utcnow()),
        )
    )  # fmt: skip
    append(con, by, "marking.set", f"{kind}:{ref}", checked.as_dict())
    return checked


def tighten(con: Connection, kind: str, ref: str, marking: Marking, by: str) -> Marking:
    """Mark a record that grows from several sources (a partner's exchange watchlist): a new
    record gets `marking`; a marked one keeps its agency and becomes the strictest of both (a
    marking is never lowered, so data added under stricter caveats is never seen without them)."""
    take_turn(con)  # two packages tightening one list at once: the second sees the first's
    row = con.execute(
        select(schema.markings).where(schema.markings.c.kind == kind, schema.markings.c.ref == ref)
    ).first()
    if row is None:
        return mark(con, kind, ref, marking, by)
    old = Marking(row.agency, row.classification, tuple(json.loads(row.caveats)))
    new = strictest([old, marking], old.agency)
    if new != old:
        con.execute(
            update(schema.markings)
            .where(schema.markings.c.kind == kind, schema.markings.c.ref == ref)
            .values(classification=new.classification, caveats=json.dumps(list(new.caveats)))
        )
        append(con, by, "marking.tighten", f"{kind}:{ref}", new.as_dict())
    return new


def share(engine: Engine, kind: str, ref: str, agency: str, by: str, consent: str | None) -> None:
    """Let `agency` see the record too (audited, with the consent when one was needed)."""
    with engine.begin() as con:
        take_turn(con)  # the same share asked twice at once: one row, both on the trail
        known = con.execute(
            select(schema.marking_shares.c.ref).where(
                schema.marking_shares.c.kind == kind,
                schema.marking_shares.c.ref == ref,
                schema.marking_shares.c.agency == agency,
            )
        ).first()
        if known is None:
            con.execute(
                insert(schema.marking_shares).values(
                    kind=kind, ref=ref, agency=agency, shared_by=by, shared_at=iso(utcnow()),
                    consent=consent,
                )
            )  # fmt: skip
        append(con, by, "marking.share", f"{kind}:{ref}", {"agency": agency, "consent": consent})


def unshare(
    engine: Engine,
    kind: str,
    ref: str,
    agency: str,
    by: str,
    derived: Mapping[str, Any] | None = None,
) -> bool:
    """`agency` no longer sees the record through a share (audited); False: it had none.
    What it made of the record meanwhile (a run over shared payments, a case) stays its own;
    `derived` lists it in the audit entry (the caller marks it)."""
    with engine.begin() as con:
        gone = con.execute(
            delete(schema.marking_shares).where(
                schema.marking_shares.c.kind == kind,
                schema.marking_shares.c.ref == ref,
                schema.marking_shares.c.agency == agency,
            )
        ).rowcount
        if gone:
            detail: dict[str, Any] = {"agency": agency}
            if derived is not None:
                detail["derived"] = dict(derived)
            append(con, by, "marking.unshare", f"{kind}:{ref}", detail)
    return bool(gone)


def incoming(agency: str, classification: object, caveats: Iterable[object]) -> Marking:
    """A partner's package as the importing agency keeps it: the agency's, at the partner's
    classification, with EGMONT and every caveat the partner stated as a code. A classification
    this installation does not know is a ValueError (the package is refused, not kept at a
    guessed level)."""
    try:
        chosen = check_classification(classification) if isinstance(classification, str) else ""
    except ValueError:
        chosen = ""
    if not chosen:
        raise ValueError(
            f"classification {str(classification)[:40]!r} is none this service knows (ask the "
            "partner to send it with one of UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, "
            "TOP SECRET)"
        )
    codes = [c.strip().upper() for c in caveats if isinstance(c, str)]
    return Marking(agency, chosen, check_caveats([EGMONT, *filter(_CAVEAT_CODE.match, codes)]))
