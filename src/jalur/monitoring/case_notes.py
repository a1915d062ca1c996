"""What the cases say of alerts, for `jalur alerts show`, without monitoring reading cases.

A later pass re-finds an alert under the same id; `alerts show` listed it as if new, though a
colleague had already decided it in a case. Cases sit above monitoring (they cite alerts), so
monitoring may not import them: the command line, which stands above both, registers a reader
here (`read_cases_with`), and `alerts show` asks it for the alerts it prints. Without one (a
host that wires only monitoring) nothing is said.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import typer

from jalur.clikit import warn

#: One case an alert is in: `case_id`, `status` and `disposition` (the label it was decided
#: with, None while the case is open).
CaseNote = dict[str, Any]
CaseReader = Callable[[typer.Context, Sequence[str]], Mapping[str, list[CaseNote]]]

_READERS: list[CaseReader] = []


def read_cases_with(reader: CaseReader) -> None:
    """Have `alerts show` ask `reader` which cases hold the alerts it prints (once each)."""
    if reader not in _READERS:
        _READERS.append(reader)


def cases_read() -> bool:
    """Whether a reader is registered (`alerts show` says cases only then)."""
    return bool(_READERS)


def cases_of(ctx: typer.Context, alert_ids: Sequence[str]) -> dict[str, list[CaseNote] | None]:
    """The cases holding each of `alert_ids` (every id has a list, empty when none; None when
    the case store could not be read). That is a warning, never the end of `alerts show`: the
    alerts are what the analyst came for, and "no case" would be a guess."""
    found: dict[str, list[CaseNote] | None] = {a: [] for a in alert_ids}
    for reader in _READERS:
        try:
            notes = reader(ctx, alert_ids)
        except Exception as exc:  # a store that cannot be opened or read
            warn(f"the cases of these alerts could not be read: {exc}")
            return dict.fromkeys(alert_ids)
        for alert_id, held in notes.items():
            found.setdefault(alert_id, [])
            found[alert_id] = [*(found[alert_id] or []), *held]
    return found


def case_text(notes: Sequence[CaseNote] | None) -> str:
    """`CASE-1 closed: false-positive; CASE-7 open`: the cases as one line ("not read" when
    the case store could not be read)."""
    if notes is None:
        return "not read"
    return "; ".join(
        f"{n['case_id']} {n['status']}" + (f": {n['disposition']}" if n.get("disposition") else "")
        for n in notes
    )
