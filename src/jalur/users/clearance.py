"""Classifications and caveats: what a user is cleared for, and whether they may see a marking.

A marking (the owning agency, a classification and the handling caveats of a record) is seen by
a user whose clearance is at or above its classification and who holds every caveat on it, in
the way OpenCTI's marking definitions work. Pure data and rules: no database, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CLASSIFICATIONS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET")
#: What unmarked data is (the workspace holds RESTRICTED data) and what a new user is cleared for.
DEFAULT_CLASSIFICATION = "RESTRICTED"
DEFAULT_CLEARANCE = "RESTRICTED"
#: Caveats whose data may be read but not exported or shared on without recorded consent.
EGMONT, NO_ONWARD = "EGMONT", "NO-ONWARD"
ONWARD_CAVEATS = frozenset({EGMONT, NO_ONWARD})
_CAVEAT = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
_AGENCY = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def level(classification: str) -> int:
    """The rank of a classification (0 is the lowest); ValueError naming the known ones."""
    try:
        return CLASSIFICATIONS.index(classification.strip().upper())
    except ValueError:
        raise ValueError(
            f"unknown classification {classification!r}: choose one of {', '.join(CLASSIFICATIONS)}"
        ) from None


def check_classification(classification: str) -> str:
    level(classification)
    return classification.strip().upper()


def check_caveats(caveats: Iterable[str]) -> tuple[str, ...]:
    """Caveat codes, upper case, sorted and unique (letters, digits, '-' and '_')."""
    found = sorted({c.strip().upper() for c in caveats if c.strip()})
    for caveat in found:
        if not _CAVEAT.match(caveat):
            raise ValueError(f"caveat {caveat!r}: use letters, digits, '-' or '_' (at most 32)")
    return tuple(found)


def check_agency(code: str) -> str:
    upper = code.strip().upper()
    if not _AGENCY.match(upper):
        raise ValueError(f"agency code {code!r}: use letters, digits, '-' or '_' (at most 32)")
    return upper


def cleared(
    clearance: str, held: Iterable[str], classification: str, caveats: Iterable[str]
) -> bool:
    """Whether someone with `clearance` holding `held` caveats may see a record so marked."""
    return level(classification) <= level(clearance) and set(caveats) <= set(held)


def no_onward(caveats: Iterable[str]) -> bool:
    """Whether the caveats forbid export or sharing further without recorded consent."""
    return bool(ONWARD_CAVEATS & set(caveats))
