"""Which cases a user reaches: the service's visibility rule, applied where cases are worked.

A case belongs to an agency through its marking (kind `case`, by case id; an unmarked case, as
the command line opens them, is the installation's default agency's at RESTRICTED). A user sees
a case of their own agency, or one shared with it, at or below their clearance and holding its
caveats; only the owning agency works it (a share is for reading). The service checks this
before it calls `cases` (`api.access`); the command line signs in users of every agency on the
same store, so the case actions check it again themselves (`service`), and `cases show`,
`cases list` and `report goaml` ask here too. A case the user may not see is answered as one
that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, select

from jalur.sqlstore.schema import marking_shares, markings
from jalur.users import DEFAULT_CLASSIFICATION, Marking, User, cleared, default_agency


def case_marking(con: Connection, case_id: str) -> Marking:
    """The case's marking with the agencies it is shared with (unmarked: the default agency's)."""
    row = con.execute(
        select(markings).where(markings.c.kind == "case", markings.c.ref == case_id)
    ).first()
    shared = frozenset(
        r.agency
        for r in con.execute(
            select(marking_shares.c.agency).where(
                marking_shares.c.kind == "case", marking_shares.c.ref == case_id
            )
        )
    )
    if row is None:
        return Marking(default_agency(con), DEFAULT_CLASSIFICATION, (), shared)
    return Marking(row.agency, row.classification, tuple(json.loads(row.caveats)), shared)


def agency_of(con: Connection, user: User) -> str:
    return user.agency or default_agency(con)


def sees(con: Connection, user: User, marking: Marking) -> bool:
    """The one visibility rule of the service (`api.access.Access.sees`)."""
    agency = agency_of(con, user)
    ours = marking.agency == agency or agency in marking.shared_with
    return ours and cleared(user.clearance, user.caveats, marking.classification, marking.caveats)


def visible_cases(engine: Engine, user: User, case_ids: Iterable[str]) -> set[str]:
    """The ids among `case_ids` the user may see."""
    with engine.connect() as con:
        return {c for c in case_ids if sees(con, user, case_marking(con, c))}
