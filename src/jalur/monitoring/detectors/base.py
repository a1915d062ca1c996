"""What a typology detector is: a finder (SQL or kernel, backend-neutral) and named features.

A detector's finder returns `Finding`s, the facts of one suspicious structure. Its features
turn those facts into a score in [0, 1] with weights from the parameters file, and each
feature says in words what it saw, so every alert explains itself (nomenklatura's named,
weighted features, applied to typologies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from jalur.monitoring.engines.base import Engine

Facts = Mapping[str, Any]
Params = Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """One suspicious structure: who, which payments, and the facts features read."""

    typology: str
    key: str  # stable identity within the typology (same data, same key)
    account: str  # the account the alert is about first
    accounts: tuple[str, ...]
    tx_ids: tuple[str, ...]
    facts: Facts = field(default_factory=dict)


@dataclass(frozen=True)
class Feature:
    """A named signal in [0, 1] and how to say it in words."""

    name: str
    value: Callable[[Facts, Params], float]
    describe: Callable[[Facts, Params], str]


@dataclass(frozen=True)
class Typology:
    """A detector: its finder, its headline and its scoring features."""

    name: str
    summary: str
    find: Callable[[Engine, Params], list[Finding]] | None
    headline: Callable[[Finding, Params], str]
    features: tuple[Feature, ...]


def clip(value: float) -> float:
    """A signal clipped into [0, 1]."""
    return max(0.0, min(1.0, float(value)))


def rows(table: pa.Table) -> Iterable[dict[str, Any]]:
    """An engine's result as plain rows (both engines' Arrow types read the same)."""
    found: list[dict[str, Any]] = table.to_pylist()
    return found


def sorted_ids(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values or () if v is not None}))


def account_finding(
    typology: str,
    row: Mapping[str, Any],
    facts: Iterable[str],
    *,
    others: Iterable[Any] = (),
    tx_ids: Iterable[Any] = (),
    key: str | None = None,
    **more: Any,
) -> Finding:
    """The finding of a result row about one `account` (most typologies find one account
    and the counterparties it dealt with): its `facts` columns as facts, then `more`; the
    key is the account unless one finding per account is not enough."""
    account = row["account"]
    return Finding(
        typology=typology,
        key=account if key is None else key,
        account=account,
        accounts=sorted_ids([account, *others]),
        tx_ids=sorted_ids(tx_ids),
        facts={**{k: row[k] for k in facts}, **more},
    )


def twice_minimum(fact: str, minimum: str) -> Callable[[Facts, Params], float]:
    """A feature's value for a count a detector requires at least `minimum` of: 0.5 at that
    minimum, full at twice it."""
    return lambda f, p: clip(f[fact] / (2.0 * float(p[minimum])))


def of_full_amount(f: Facts, p: Params) -> float:
    """A feature's value for the amount moved: full at the typology's `full_amount`."""
    return clip(f["amount"] / float(p["full_amount"]))


def days(seconds: float) -> str:
    """A duration in the unit an analyst would say it in."""
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def money(value: float, currency: str) -> str:
    """An amount as an analyst reads it in an explanation: with its currency (the reporting
    currency, `reporting_currency` in the typology's parameters, unless the detector works in
    the payment's own), whole units from 1,000 up, cents below ("10.14 USD", "5,872,968 IDR")."""
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"
    return f"{text} {currency}"


def reporting(params: Params) -> str:
    """The currency the detection's amounts are in (`amount_reporting`'s)."""
    return str(params["reporting_currency"])
