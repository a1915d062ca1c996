"""Accounts an agency flags itself (e.g. from a narcotics investigation) as exposure seeds.

`jalur accounts flag FILE --topic drug --reason TEXT` reads a file of account numbers: a CSV
with an `account` column, or one account per line. Every line is accounted for: flagged,
rejected (with its line number and why) or a duplicate (already flagged for that topic).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jalur.cells import unguard_cell
from jalur.inputs import file_problem
from jalur.store import Store

TOPICS = ("terror", "drug")

FLAGS_DDL = [
    """CREATE TABLE IF NOT EXISTS account_flags (
        account VARCHAR NOT NULL, topic VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        source_file VARCHAR, source_line INTEGER, flagged_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (account, topic))""",
]

MAX_ACCOUNT_LENGTH = 64


class FlagFileError(ValueError):
    """The flag file cannot be read at all (missing, not text)."""


@dataclass
class FlagReport:
    """What happened to each line: read = accepted + rejected + duplicates."""

    topic: str
    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "read": self.read,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": len(self.rejected),
            "errors": self.rejected,
        }


def flag_accounts(
    store: Store, path: Path, topic: str, reason: str, *, paid_only: bool = False
) -> FlagReport:
    """Flag every account in `path` for `topic`; bad lines are reported, good ones kept.

    With `paid_only` (the command line), an account that appears in no loaded payment is
    rejected: it is far more often a typo than a seed, and a seed no payment touches traces
    nothing."""
    if topic not in TOPICS:
        raise ValueError(f"topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    if not reason.strip():
        raise ValueError("a reason is required (who asked, which investigation)")
    store.ensure("monitoring.flags", FLAGS_DDL)
    report = FlagReport(topic=topic)
    known = flagged(store, topic)
    now = datetime.now(UTC)
    rows = []
    found = _accounts(path, report)
    if paid_only:
        found = _paid(store, path, found, report)
    for line, account in found:
        if account in known:
            report.duplicates += 1
            continue
        known.add(account)
        rows.append((account, topic, reason.strip(), str(path), line, now))
    if rows:
        with store.transaction() as con:
            con.executemany("INSERT INTO account_flags VALUES (?, ?, ?, ?, ?, ?)", rows)
    report.accepted = len(rows)
    return report


def unpaid_accounts(store: Store, accounts: Iterable[str]) -> list[str]:
    """Those of `accounts` that appear in no loaded payment, as payer or payee (sorted)."""
    wanted = sorted(set(accounts))
    if not wanted:
        return []
    if not _has_payments(store):
        return wanted
    paid = store.execute(
        """SELECT a FROM unnest(?::VARCHAR[]) AS t(a)
           WHERE a IN (SELECT orig_account FROM transactions)
              OR a IN (SELECT bene_account FROM transactions)""",
        [wanted],
    ).fetchall()
    return sorted(set(wanted) - {row[0] for row in paid})


def _has_payments(store: Store) -> bool:
    row = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'transactions'"
    ).fetchone()
    return bool(row and row[0])


def _paid(
    store: Store, path: Path, found: list[tuple[int, str]], report: FlagReport
) -> list[tuple[int, str]]:
    """The accounts of `found` that some payment touches; the others are rejected by line."""
    unpaid = set(unpaid_accounts(store, (account for _, account in found)))
    why = "appears in no loaded payment" if _has_payments(store) else "no payments are loaded"
    for line, account in found:
        if account in unpaid:
            report.rejected.append(f"{path}:{line}: account {account!r} {why}")
    return [(line, account) for line, account in found if account not in unpaid]


def flagged(store: Store, topic: str) -> set[str]:
    """Accounts flagged for `topic` so far."""
    store.ensure("monitoring.flags", FLAGS_DDL)
    found = store.execute("SELECT account FROM account_flags WHERE topic = ?", [topic])
    return {row[0] for row in found.fetchall()}


def _accounts(path: Path, report: FlagReport) -> list[tuple[int, str]]:
    if problem := file_problem(path):
        raise FlagFileError(f"{path}: {problem}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlagFileError(f"{path}: cannot read ({exc})") from exc
    lines = text.splitlines()
    delimiter, header = _header(lines[0] if lines else "")
    if "account" in header:
        column = header.index("account")
        records = [(n, row) for n, row in _records(path, text, delimiter, report) if n > 1]
        values = [(n, _unguarded(row, column)) for n, row in records]
    else:
        values = list(enumerate(lines, 1))
    found = []
    for line, raw in values:
        report.read += 1
        problem = _problem(raw.strip())
        if problem:
            report.rejected.append(f"{path}:{line}: {problem}")
        else:
            found.append((line, raw.strip()))
    return found


def _unguarded(row: list[str], column: int) -> str:
    """The account cell; one guarded for a spreadsheet (`alerts export` and `model score`
    write `'-x` for an account `-x`) is read as the account it guards."""
    return unguard_cell(row[column].strip()) if column < len(row) else ""


def _records(
    path: Path, text: str, delimiter: str, report: FlagReport
) -> Iterator[tuple[int, list[str]]]:
    """(number, cells) of each CSV record; one the CSV reader refuses (a cell over its 128 KiB
    limit, a sender's blob) is a rejected line, named, and reading goes on after it."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            yield number, next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.read += 1
            report.rejected.append(f"{path}:{number}: unreadable CSV line ({exc})")


def _header(line: str) -> tuple[str, list[str]]:
    """The separator and column names of a CSV header that has an `account` column.

    Spreadsheets in comma-decimal locales save CSV with ';' (or tab, '|'): read with ',' the
    header has no `account` column and every line would be taken for an account number.
    """
    if len(line) > csv.field_size_limit():  # no header: a line longer than any cell may be
        return ",", []
    for delimiter in (",", ";", "\t", "|"):
        header = [h.strip().lower() for h in next(csv.reader([line], delimiter=delimiter), [])]
        if "account" in header:
            return delimiter, header
    return ",", []


def _problem(account: str) -> str | None:
    if not account:
        return "empty account number"
    if len(account) > MAX_ACCOUNT_LENGTH:
        return f"account number longer than {MAX_ACCOUNT_LENGTH} characters"
    if any(ch.isspace() or not ch.isprintable() for ch in account):
        return f"account number {account!r} contains spaces or control characters"
    return None
