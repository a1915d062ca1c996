"""Alerts: a finding scored by its typology's weighted features and explained in words.

An alert's id is a hash of its typology and the finding's key, so the same structure found
again (a later pass, the other engine) is the same alert, not a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jalur.monitoring.detectors.base import Finding, Typology


@dataclass(frozen=True)
class Alert:
    """A scored, explained finding: what an analyst reviews."""

    alert_id: str
    typology: str
    account: str
    accounts: tuple[str, ...]
    tx_ids: tuple[str, ...]
    score: float
    explanation: str
    features: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def subjects(self) -> tuple[str, ...]:
        """The accounts the alert is about: its account and those its finding names as
        subjects on their own evidence (every member of a cycle); the other accounts in
        `accounts` are counterparties, context for the analyst, not alerted."""
        named = self.facts.get("subjects") or ()
        return tuple(sorted({self.account, *(str(a) for a in named)}))

    def as_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "typology": self.typology,
            "account": self.account,
            "accounts": list(self.accounts),
            "transactions": list(self.tx_ids),
            "score": self.score,
            "explanation": self.explanation,
            "features": self.features,
            "facts": self.facts,
        }


def alert_id(typology: str, key: str) -> str:
    digest = hashlib.sha256(f"{typology}\x1f{key}".encode()).hexdigest()
    return f"ALR-{digest[:16]}"


def score(finding: Finding, typology: Typology, params: Mapping[str, Any]) -> Alert:
    """Weighted sum of the typology's features; the explanation lists what each added."""
    weights = {k: float(v) for k, v in params.get("weights", {}).items()}
    total = sum(weights.get(f.name, 0.0) for f in typology.features) or 1.0
    parts: dict[str, float] = {}
    reasons = []
    for feature in typology.features:
        weight = weights.get(feature.name, 0.0) / total
        parts[feature.name] = round(weight * feature.value(finding.facts, params), 4)
        if weight > 0:
            reasons.append(
                f"{feature.describe(finding.facts, params)} (+{parts[feature.name]:.2f})"
            )
    value = round(min(1.0, sum(parts.values())), 4)
    return Alert(
        alert_id=alert_id(finding.typology, finding.key),
        typology=finding.typology,
        account=finding.account,
        accounts=finding.accounts,
        tx_ids=finding.tx_ids,
        score=value,
        explanation=f"{typology.headline(finding, params)}. Score {value:.2f}: "
        + "; ".join(reasons),
        features=parts,
        facts=dict(finding.facts),
    )
