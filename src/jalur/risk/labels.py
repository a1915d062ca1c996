"""Labels a model learns from: a CSV of `account,label`, or the decisions of closed cases.

A label file is checked whole before anything is trained: every row that names an account
with no payment, has a label other than 0 or 1, or contradicts another row is an error
naming its line; a file with one class only cannot train a classifier. The caller decides
whether errors stop training (the default) or are skipped and counted (`--skip-bad`).
An account labelled both ways is used with neither label (which one is right is not ours to
guess, and the first row is no better than the last), and every one of its rows is named; a
row that repeats an earlier one (same account, same label) is counted once and named as a
duplicate, so rows read = accepted + rejected + duplicates.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from io import BufferedReader
from pathlib import Path
from typing import Any

from jalur.cells import unguard_cell
from jalur.inputs import file_problem

#: Case dispositions as labels (cases' TRUE_POSITIVE / FALSE_POSITIVE).
DISPOSITION_LABELS = {"true-positive": 1, "false-positive": 0}


#: First bytes of an .xlsx workbook (a zip archive) and of an old binary .xls one.
WORKBOOK_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class LabelFileError(ValueError):
    """The label file cannot be read as `account,label` at all."""


@dataclass
class Labels:
    """Accepted labels by account, the rows rejected (line: reason), and where they came from."""

    source: str
    by_account: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    read: int = 0
    digest: str = ""
    duplicates: list[str] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return sum(self.by_account.values())

    @property
    def negatives(self) -> int:
        return len(self.by_account) - self.positives

    def problem(self) -> str | None:
        """Why these labels cannot train a model (None when they can)."""
        if not self.by_account:
            return (
                f"{self.source}: no accepted label rows ({self.read} read, "
                f"{len(self.errors)} rejected); a model needs labels 1 and 0"
            )
        if not self.positives or not self.negatives:
            kind = "1 (laundering)" if self.positives else "0 (not)"
            return (
                f"{self.source}: only label {kind} among {len(self.by_account)} accepted rows; "
                "a model needs both 1 and 0"
            )
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.digest,
            "read": self.read,
            "accepted": len(self.by_account),
            "positives": self.positives,
            "negatives": self.negatives,
            "rejected": len(self.errors),
            "duplicates": len(self.duplicates),
        }


def read_labels(path: Path, known: Iterable[str]) -> Labels:
    """Check every row of `path` against the accounts with payments (`known`)."""
    problem = file_problem(path)
    if problem:  # a FIFO or a device never ends: refused before it is opened
        raise LabelFileError(f"cannot read labels {path}: {problem}")
    try:
        with path.open("rb") as binary:
            return _read(path, binary, known)
    except OSError as exc:
        raise LabelFileError(f"cannot read labels {path}: {exc}") from exc


def _read(path: Path, binary: BufferedReader, known: Iterable[str]) -> Labels:
    """The labels of an open file, read a line at a time: a label file of millions of rows
    (or a wide note column) was read whole, about four times its size in memory."""
    digest = hashlib.sha256()
    lines = _lines(path, binary, digest)
    first = next(lines, "")
    hint = _SEPARATOR_LINE.match(first.rstrip("\r\n"))
    header_line = next(lines, "") if hint else first
    delimiter = hint.group(1) if hint else _delimiter(header_line.rstrip("\r\n"))
    # line breaks kept, so that a quoted cell running over lines is seen as one row; Excel's
    # separator line is read as a row and passed over, so that lines keep their numbers
    reader = csv.reader(
        itertools.chain([first, header_line] if hint else [first], lines), delimiter=delimiter
    )
    if hint:
        next(reader)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = {"account", "label"} - set(header)
    if missing:
        raise LabelFileError(
            f"{path}: the header must name the columns account,label in any case "
            f"(missing: {', '.join(sorted(missing))})"
        )
    labels = Labels(source=str(path))
    check = _Check(set(known), header.index("account"), header.index("label"))
    for start, end, cells in _rows(reader):
        labels.read += 1
        if start < end:
            labels.errors.append(f"line {start}: {_runs_over(start, end)}")
        else:
            check.take(labels, start, cells)
    labels.errors.sort(key=lambda error: int(error.split(":")[0].removeprefix("line ")))
    labels.digest = digest.hexdigest()
    return labels


def _lines(path: Path, binary: BufferedReader, digest: Any) -> Iterator[str]:
    """The file's lines as text, line breaks kept (a lone `\r` ends a line too, as text mode
    reads it), each added to `digest` as read; a byte that is not UTF-8 is a
    `LabelFileError` naming its line. The first line may start with a byte-order mark."""
    if binary.peek(4)[:4] in WORKBOOK_STARTS:
        raise LabelFileError(
            f"{path}: an Excel workbook, not a CSV: save the sheet as CSV (UTF-8) with the"
            " columns account,label and train again"
        )
    if binary.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        yield from _utf16_lines(path, binary, digest)
        return
    number = 0
    for raw in binary:
        digest.update(raw)
        for piece in _LONE_CR.split(raw) if b"\r" in raw else (raw,):
            number += 1
            try:
                yield piece.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise LabelFileError(f"cannot read labels {path}: line {number:,}: {exc}") from exc


def _utf16_lines(path: Path, binary: BufferedReader, digest: Any) -> Iterator[str]:
    """The lines of a file that starts with a UTF-16 byte-order mark (Excel's "Unicode Text"
    export: it was refused as no UTF-8), read as the mark says, as `_lines` reads UTF-8."""
    digested = BufferedReader(_Digested(binary, digest))
    text = io.TextIOWrapper(digested, encoding="utf-16", newline="")
    number = 0
    try:
        for line in text:
            number += 1
            yield line
    except UnicodeDecodeError as exc:
        raise LabelFileError(f"cannot read labels {path}: line {number + 1:,}: {exc}") from exc


class _Digested(io.RawIOBase):
    """A binary file whose bytes are added to `digest` as they are read."""

    def __init__(self, binary: BufferedReader, digest: Any) -> None:
        self._binary, self._digest = binary, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._binary.readinto(buffer)
        self._digest.update(memoryview(buffer)[:count])
        return count


#: Where a `\r` not followed by `\n` ends a line (old Mac files): split after it.
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)(?=.)", re.DOTALL)


@dataclass
class _Check:
    """Row checks that need what earlier rows said: the line each account was first seen on,
    and the accounts labelled both ways (used with neither label)."""

    accounts: set[str]
    account_column: int
    label_column: int
    first_line: dict[str, tuple[int, int]] = field(default_factory=dict)
    contradicted: dict[str, int] = field(default_factory=dict)
    #: Loaded accounts by `_loose` form, built at the first unknown account.
    loose: dict[str, str] | None = None

    def _hint(self, account: str) -> str:
        """The loaded account an unknown one differs from only as a spreadsheet changes
        accounts (leading zeros dropped, case), said with the error: the analyst sees why an
        account that plainly has payments is unknown."""
        if self.loose is None:
            self.loose = {}
            for known in sorted(self.accounts):
                self.loose.setdefault(_loose(known), known)
        loaded = self.loose.get(_loose(account))
        if loaded is None:
            return ""
        return (
            f" (the loaded account {_shown(loaded)} differs only in {_difference(account, loaded)})"
        )

    def take(self, labels: Labels, line: int, cells: list[str]) -> None:
        account = _cell(cells, self.account_column)
        value = _cell(cells, self.label_column)
        reason = _reject(account, value, self.accounts)
        if reason:
            hint = self._hint(account) if account and account not in self.accounts else ""
            labels.errors.append(f"line {line}: {reason}{hint}")
        elif account in self.contradicted:
            first, _ = self.first_line[account]
            labels.errors.append(
                f"line {line}: account {_shown(account)} is labelled both 0 and 1 (first on line "
                f"{first}): neither label is used"
            )
        elif account in self.first_line:
            self._again(labels, line, account, int(value))
        else:
            self.first_line[account] = (line, int(value))
            labels.by_account[account] = int(value)

    def _again(self, labels: Labels, line: int, account: str, value: int) -> None:
        first, earlier = self.first_line[account]
        if earlier == value:
            labels.duplicates.append(f"line {line}: account {_shown(account)} repeats line {first}")
            return
        self.contradicted[account] = line
        del labels.by_account[account]
        both = (
            f"account {_shown(account)} is labelled {earlier} on line {first} "
            f"and {value} on line {line}"
        )
        labels.errors.append(f"line {first}: {both}: neither label is used")
        labels.errors.append(f"line {line}: {both}: neither label is used")


def _rows(reader: Any) -> Iterator[tuple[int, int, list[str]]]:
    """Each row that is not blank (a blank line is no row) with the lines it starts and ends
    on: the line named is where the row starts, whatever a quote made of the lines after."""
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield start, reader.line_num, cells
        start = reader.line_num + 1


def _runs_over(start: int, end: int) -> str:
    """Why a row read over several lines is refused: an account or a label holds no line
    break, so a `"` was left open and the rows after it were read as one cell."""
    return (
        f"a quote opened on this line is not closed before line {end}: lines {start} to "
        f"{end} were read as one row (close or remove the quote)"
    )


#: Excel's separator line before the header (`sep=;`), as exports meant for Excel write it.
_SEPARATOR_LINE = re.compile(r"^sep=([,;\t|])$", re.IGNORECASE)


def _delimiter(header: str) -> str:
    """The separator the header uses: `,`, `;` (spreadsheets in comma-decimal locales), tab or
    `|`, as `jalur accounts flag` reads them."""
    return next((sep for sep in ",;\t|" if sep in header), ",")


def _cell(cells: list[str], column: int) -> str:
    """The cell's value; one guarded for a spreadsheet (`model score --out` writes `'-x` for
    an account `-x`) is read as the value it guards."""
    return unguard_cell(cells[column].strip()) if column < len(cells) else ""


#: The most of a cell an error quotes: a cell can be megabytes (a file that is no label file).
MAX_SHOWN = 60


def _shown(value: str) -> str:
    """A cell as an error quotes it: whole when short, else its start and its length, so one
    bad row of a file that is no label file does not fill the analyst's terminal."""
    if len(value) <= MAX_SHOWN:
        return repr(value)
    return f"{value[:MAX_SHOWN] + '…'!r} ({len(value):,} characters)"


def _loose(account: str) -> str:
    """An account as a spreadsheet may have changed it: without leading zeros, in any case."""
    return account.lstrip("0").casefold()


def _difference(account: str, loaded: str) -> str:
    """How `account` differs from the `loaded` one of the same `_loose` form."""
    if account.lstrip("0") == loaded.lstrip("0"):
        return "leading zeros (a spreadsheet drops them: keep the column as text)"
    if len(account) == len(loaded):
        return "case"
    return "case and leading zeros (a spreadsheet drops them: keep the column as text)"


def _reject(account: str, value: str, accounts: set[str]) -> str | None:
    if not account:
        return "no account"
    if value not in ("0", "1"):
        return f"label {_shown(value)} for account {_shown(account)} is not 0 or 1"
    if account not in accounts:
        return f"account {_shown(account)} has no loaded payment"
    return None


def labels_from_dispositions(
    dispositions: Iterable[tuple[str, str]], subject_of: Mapping[str, str], known: Iterable[str]
) -> Labels:
    """(alert_id, disposition) pairs of closed cases as labels on the alerts' subjects.

    An account is laundering (1) when any closed case judged one of its alerts a true
    positive: one confirmed case outweighs dismissed alerts on the same account."""
    labels = Labels(source="case dispositions")
    accounts = set(known)
    first: dict[str, str] = {}
    for alert_id, disposition in dispositions:
        labels.read += 1
        account = subject_of.get(alert_id)
        value = DISPOSITION_LABELS.get(disposition)
        if account is None or value is None or account not in accounts:
            labels.errors.append(f"alert {alert_id}: {_why(account, value, accounts)}")
            continue
        if account in first:  # counted once, so read = accepted + rejected + duplicates
            labels.duplicates.append(
                f"alert {alert_id}: subject {_shown(account)} also has alert {first[account]}"
            )
        first.setdefault(account, alert_id)
        labels.by_account[account] = max(value, labels.by_account.get(account, 0))
    text = "\n".join(f"{a},{v}" for a, v in sorted(labels.by_account.items()))
    labels.digest = hashlib.sha256(text.encode()).hexdigest()
    return labels


def _why(account: str | None, value: int | None, accounts: set[str]) -> str:
    if account is None:
        return "no such alert in this workspace"
    if value is None:
        return "its disposition is neither true-positive nor false-positive"
    return f"subject account {_shown(account)} has no loaded payment"
