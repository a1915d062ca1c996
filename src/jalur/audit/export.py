"""An exported audit trail (JSON lines) that someone else can check with the agency's public card.

Line 1 is a header (format, chain, entry count, the agency's signed public card when it has one),
then every entry, then every seal. Verifying needs nothing from the workspace: entries are
re-hashed, seals checked against the keys of a card the verifier trusts. A cut tail shows as a
seal pointing past the end or as fewer entries than the header states.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, select

from jalur.audit.seals import database_seals
from jalur.audit.trail import CHAIN, AuditEntry, entries
from jalur.canonical import canonical, iso, utcnow
from jalur.chain import ChainReport, Seal, SealKey, verify_stream
from jalur.inputs import file_problem
from jalur.sqlstore import snapshot
from jalur.sqlstore.schema import audit_log

FORMAT = "jalur-audit-export/1"
T = TypeVar("T")


def export_trail(engine: Engine, out: Path, card: Mapping[str, Any] | None) -> int:
    """Write the trail to `out` (created 0600); returns the number of entries."""
    with snapshot(engine) as con:
        seals = database_seals(con)
        count = _count(con)
        header = {
            "type": "header",
            "format": FORMAT,
            "chain": CHAIN,
            "entries": count,
            "exported_at": iso(utcnow()),
            "card": dict(card) if card else None,
        }
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(canonical(header) + b"\n")
            for entry in entries(con):
                handle.write(canonical({"type": "entry", **entry.as_dict()}) + b"\n")
            for seal in seals:
                handle.write(canonical({"type": "seal", **seal.as_dict()}) + b"\n")
    return count


def read_header(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} line 1 is not JSON: {exc}") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{path} is not a jalur audit export ({FORMAT})")
    return header


def verify_export(
    path: Path, keys_of: Callable[[Mapping[str, Any] | None], Iterable[SealKey]]
) -> ChainReport:
    """Check an export; `keys_of(header card)` gives the keys the verifier trusts. The file
    comes from elsewhere: a FIFO or a device, whose input might never end, is refused."""
    if problem := file_problem(path):
        raise ValueError(f"{path}: {problem}")
    header = read_header(path)
    problems: list[str] = []
    seals = list(_parsed(path, "seal", Seal.from_dict, problems))
    links = (e.link() for e in _parsed(path, "entry", AuditEntry.from_dict, problems))
    report = verify_stream(CHAIN, links, seals, seals, keys_of(header.get("card")))
    report.problems[:0] = problems
    stated = header.get("entries")
    if stated != report.entries:
        report.problems.append(
            f"the header states {stated} entries but the file holds {report.entries}: "
            "entries were removed or added"
        )
    return report


def _lines(path: Path, kind: str, problems: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The file's lines of one kind (after the header); a line that is neither kind is a problem
    (reported once, by the pass over entries)."""
    with path.open(encoding="utf-8") as handle:
        handle.readline()
        for number, line in enumerate(handle, start=2):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                found = data.pop("type") if isinstance(data, dict) else None
            except (json.JSONDecodeError, KeyError):
                found = None
            if found == kind:
                yield number, data
            elif found not in ("entry", "seal") and kind == "entry":
                problems.append(f"{path} line {number} is not an entry or a seal")


def _parsed(
    path: Path, kind: str, parse: Callable[[dict[str, Any]], T], problems: list[str]
) -> Iterator[T]:
    """The lines of one kind, parsed; a malformed one is named and left out (so the chain
    verification then reports the gap it leaves)."""
    for number, data in _lines(path, kind, problems):
        try:
            yield parse(data)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"{path} line {number} is a malformed {kind} ({exc})")


def _count(con: Connection) -> int:
    return int(con.execute(select(func.count()).select_from(audit_log)).scalar_one())
