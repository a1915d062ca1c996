"""Screening the parties of one payment: names against every list, identifiers and BICs.

The names are those of the debtor, the creditor and the ultimate parties (`Screener.screen`,
remembered per name: payment traffic repeats its parties); account numbers, party identifiers
and the BICs of the debtor's, the creditor's and every intermediary agent are looked up among
the identifiers of the listed entries (national ids, registration numbers, SWIFT/BIC…), a BIC
also by its first eight letters (the institution, any branch).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from jalur.model import RiskClass
from jalur.screening import Hit, Query, Screener
from jalur.stream.payment import Payment

#: What an identifier is compared without: all but letters and digits (`str.isalnum`).
_NOT_ALNUM = re.compile(r"[\W_]+")

#: Names whose hits are remembered (most recent first).
REMEMBERED = 100_000

NAME_ROLES = (
    ("debtor", "orig_name", "orig_country"),
    ("creditor", "bene_name", "bene_country"),
    ("ultimate debtor", "orig_ultimate", None),
    ("ultimate creditor", "bene_ultimate", None),
)
ID_ROLES = (
    ("debtor account", "orig_account"),
    ("creditor account", "bene_account"),
    ("debtor identifier", "orig_identifier"),
    ("creditor identifier", "bene_identifier"),
    ("debtor agent", "orig_bank"),
    ("creditor agent", "bene_bank"),
)


@dataclass(frozen=True)
class Listed:
    """A party of the payment matched to a listed entry."""

    role: str
    value: str
    entity_id: str
    caption: str
    list_name: str
    risk: str
    score: float
    how: str  # "name" or "identifier"
    explanation: str = ""


@dataclass
class Watch:
    """A screener plus the listed identifiers, asked about one payment at a time."""

    screener: Screener | None
    identifiers: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    _recent: OrderedDict[tuple[str, str | None], list[Hit]] = field(default_factory=OrderedDict)

    @classmethod
    def of(cls, screener: Screener | None) -> Watch:
        watch = cls(screener)
        if screener is not None:
            index = screener.index
            for position in index.by_entity_id.values():
                entity = index.entities[position]
                for value in entity.identifiers:
                    watch.identifiers.setdefault(value, []).append(
                        (entity.entity_id, entity.caption, entity.list_name, entity.risk.value)
                    )
        return watch

    def warm(self, payments: Iterable[Payment], chunk: int = 20_000) -> int:
        """Screen the distinct names of these payments' parties now, in batches (a bank's
        known customers and counterparties were screened before they pay); returns how many
        names were screened."""
        if self.screener is None:
            return 0
        wanted: dict[tuple[str, str | None], None] = {}
        for p in payments:
            for _, field_name, country_field in NAME_ROLES:
                name = getattr(p, field_name)
                if name:
                    key = (name, getattr(p, country_field) if country_field else None)
                    if key not in self._recent:
                        wanted[key] = None
        keys = list(wanted)
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            queries = [Query(name=name, country=country) for name, country in part]
            for key, hits in zip(part, self.screener.screen_many(queries), strict=True):
                self._remember(key, hits)
        return len(keys)

    def _remember(self, key: tuple[str, str | None], hits: list[Hit]) -> None:
        self._recent[key] = hits
        if len(self._recent) > REMEMBERED:
            self._recent.popitem(last=False)

    def parties(self, p: Payment) -> list[Listed]:
        """Every listed match among the payment's parties, agents and identifiers."""
        return [*self._names(p), *self._identifiers(p)]

    def _names(self, p: Payment) -> Iterable[Listed]:
        for role, field_name, country_field in NAME_ROLES:
            name = getattr(p, field_name)
            if not name:
                continue
            country = getattr(p, country_field) if country_field else None
            for hit in self._screen(name, country):
                entity = hit.entity
                yield Listed(
                    role, name, entity.entity_id, entity.caption, entity.list_name,
                    entity.risk.value, round(hit.score, 4), "name", hit.explanation(),
                )  # fmt: skip

    def _screen(self, name: str, country: str | None) -> list[Hit]:
        if self.screener is None:
            return []
        key = (name, country)
        hits = self._recent.get(key)
        if hits is None:
            hits = self.screener.screen(Query(name=name, country=country))
            self._remember(key, hits)
        return hits

    def _identifiers(self, p: Payment) -> Iterable[Listed]:
        values = [(role, getattr(p, name)) for role, name in ID_ROLES]
        values += [("intermediary agent", bic) for bic in (p.intermediary_banks or "").split(";")]
        for role, value in values:
            if not value or not value.strip():
                continue
            for entity_id, caption, list_name, risk in self._lookup(value):
                yield Listed(
                    role, value.strip(), entity_id, caption, list_name, risk, 1.0, "identifier",
                    f"{value.strip()} is an identifier of the listed entry",
                )  # fmt: skip

    def _lookup(self, value: str) -> list[tuple[str, str, str, str]]:
        if not self.identifiers:
            return []
        cleaned = _NOT_ALNUM.sub("", value.upper())
        found = self.identifiers.get(cleaned, [])
        if not found and len(cleaned) == 11:  # a branch BIC: the institution's BIC8
            found = self.identifiers.get(cleaned[:8], [])
        return found


def terror_listed(found: Iterable[Listed], role: str) -> bool:
    return any(item.role == role and item.risk == RiskClass.TERROR.value for item in found)
