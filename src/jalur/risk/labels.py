"""Labels a model learns from: a CSV of `account,label`, or the decisions of closed cases.

A label file is checked whole before anything is trained: every row that names an account
with no payment, has a label other than 0 or 1, or contradicts an earlier row is an error
naming its line; a file with one class only cannot train a classifier. The caller decides
whether errors stop training (the default) or are skipped and counted (`--skip-bad`).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Case dispositions as labels (cases' TRUE_POSITIVE / FALSE_POSITIVE).
DISPOSITION_LABELS = {"true-positive": 1, "false-positive": 0}


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

    @property
    def positives(self) -> int:
        return sum(self.by_account.values())

    @property
    def negatives(self) -> int:
        return len(self.by_account) - self.positives

    def problem(self) -> str | None:
        """Why these labels cannot train a model (None when they can)."""
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
        }


def read_labels(path: Path, known: Iterable[str]) -> Labels:
    """Check every row of `path` against the accounts with payments (`known`)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelFileError(f"cannot read labels {path}: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    missing = {"account", "label"} - set(reader.fieldnames or [])
    if missing:
        raise LabelFileError(
            f"{path}: the header must name the columns account,label "
            f"(missing: {', '.join(sorted(missing))})"
        )
    labels = Labels(source=str(path), digest=hashlib.sha256(raw).hexdigest())
    accounts = set(known)
    for line, row in enumerate(reader, start=2):
        labels.read += 1
        _take(labels, line, row, accounts)
    return labels


def _take(labels: Labels, line: int, row: Mapping[str, Any], accounts: set[str]) -> None:
    account = (row.get("account") or "").strip()
    value = (row.get("label") or "").strip()
    reason = _reject(account, value, accounts, labels.by_account)
    if reason:
        labels.errors.append(f"line {line}: {reason}")
        return
    labels.by_account[account] = int(value)


def _reject(account: str, value: str, accounts: set[str], seen: Mapping[str, int]) -> str | None:
    if not account:
        return "no account"
    if value not in ("0", "1"):
        return f"label {value!r} for account {account!r} is not 0 or 1"
    if account not in accounts:
        return f"account {account!r} has no loaded payment"
    if account in seen and seen[account] != int(value):
        return f"account {account!r} is labelled both {seen[account]} and {value}"
    return None


def labels_from_dispositions(
    dispositions: Iterable[tuple[str, str]], subject_of: Mapping[str, str], known: Iterable[str]
) -> Labels:
    """(alert_id, disposition) pairs of closed cases as labels on the alerts' subjects.

    An account is laundering (1) when any closed case judged one of its alerts a true
    positive: one confirmed case outweighs dismissed alerts on the same account."""
    labels = Labels(source="case dispositions")
    accounts = set(known)
    for alert_id, disposition in dispositions:
        labels.read += 1
        account = subject_of.get(alert_id)
        value = DISPOSITION_LABELS.get(disposition)
        if account is None or value is None or account not in accounts:
            labels.errors.append(f"alert {alert_id}: {_why(account, value, accounts)}")
            continue
        labels.by_account[account] = max(value, labels.by_account.get(account, 0))
    text = "\n".join(f"{a},{v}" for a, v in sorted(labels.by_account.items()))
    labels.digest = hashlib.sha256(text.encode()).hexdigest()
    return labels


def _why(account: str | None, value: int | None, accounts: set[str]) -> str:
    if account is None:
        return "no such alert in this workspace"
    if value is None:
        return "its disposition is neither true-positive nor false-positive"
    return f"subject account {account!r} has no loaded payment"
