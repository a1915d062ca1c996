"""The scorecard: a risk score for every account without any labels, term by named term.

Each term turns one feature into points in [0, 1] and weighs them; an account's points are the
sum. Terms that compare an account with its population use robust z (median and 1.4826 MAD of
the accounts scored together), so the card needs no currency- or bank-specific scale. The
score is calibrated to the population: the share of the other scored accounts with no more
points (0.97: at least as risky as 97% of them). An account is flagged in the top
`FLAG_SHARE` of the population.

Weights were set by reading the features' account-level separation (ROC-AUC and average
precision per feature) on the jalur generator at seed 42, 200,000 payments, and on IBM AMLSim
20K_fanin200; AMLSim 20K_cycle200 was looked at only after (figures in docs/risk.md). Watchlist
and exposure terms carry the largest weights because they are the CTF evidence an analyst
acts on, whatever the payment pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from jalur.risk.features import FeatureTable

#: Share of accounts the scorecard flags: a review budget, not a probability.
FLAG_SHARE = 0.05


@dataclass(frozen=True)
class Term:
    """One scorecard line: the feature, how it becomes points, its weight, what it means."""

    feature: str
    weight: float
    shape: str  # "z": robust z against the population, over 3; "count": 1 - exp(-x / scale)
    scale: float
    doc: str


TERMS: tuple[Term, ...] = (
    Term("amount_log_spread", 2.0, "z", 3.0, "very different sums through one account"),
    Term("amount_min_log_z", 1.5, "z", 3.0, "a sum far below what the population pays"),
    Term("anomalies_population", 1.5, "count", 2.0, "payments far outside the usual range"),
    Term("same_day_repeats", 2.0, "count", 2.0, "several payments to one party on one day"),
    Term("payments", 0.5, "z", 3.0, "busier than the population"),
    Term("near_threshold_share", 1.0, "count", 0.2, "sums just under a reporting threshold"),
    Term("alert_best", 1.0, "count", 0.5, "named by a typology alert"),
    Term("terror_exposure", 3.0, "count", 0.2, "money traced to or from terror-listed accounts"),
    Term("drug_exposure", 1.5, "count", 0.2, "money traced to or from drug-flagged accounts"),
    Term("hit_topic", 3.0, "count", 1.0, "holder matches a list entry (terror > drug > sanction)"),
)


@dataclass(frozen=True)
class CardScores:
    """Every account's points, score and flag, and the points of each term."""

    accounts: list[str]
    points: np.ndarray
    score: np.ndarray
    flag: np.ndarray
    terms: np.ndarray  # accounts x TERMS

    def explanation(self, row: int, top: int = 3) -> str:
        """The terms that gave this account most points, in words."""
        order = np.argsort(-self.terms[row], kind="stable")[:top]
        parts = [
            f"{TERMS[j].feature} (+{self.terms[row, j]:.2f}: {TERMS[j].doc})"
            for j in order
            if self.terms[row, j] > 0.005
        ]
        return "; ".join(parts) or "nothing stands out"


def score_card(features: FeatureTable) -> CardScores:
    """Points, calibrated score and flag of every account in `features`."""
    terms = np.zeros((len(features.accounts), len(TERMS)))
    for j, term in enumerate(TERMS):
        terms[:, j] = term.weight * _SHAPES[term.shape](features.column(term.feature), term.scale)
    points = terms.sum(axis=1)
    score = population_rank(points)
    return CardScores(features.accounts, points, score, score >= 1.0 - FLAG_SHARE, terms)


def population_rank(points: np.ndarray) -> np.ndarray:
    """Share of the other accounts with no more points, in [0, 1]: accounts that tie share
    the higher rank, so a flag never splits a tie."""
    if points.size < 2:
        return np.zeros(points.size)
    ordered = np.sort(points)
    at_most = np.searchsorted(ordered, points, side="right") - 1
    return np.asarray(at_most / (points.size - 1))


def _robust_z(values: np.ndarray, scale: float) -> np.ndarray:
    """Robust z above the population's median, clipped to [0, scale] and put in [0, 1]."""
    median = float(np.median(values))
    spread = float(np.median(np.abs(values - median))) * 1.4826 or float(np.std(values)) or 1.0
    return np.asarray(np.clip((values - median) / spread, 0.0, scale) / scale)


def _count(values: np.ndarray, scale: float) -> np.ndarray:
    """Saturating points for counts and shares: the first ones matter most."""
    return np.asarray(1.0 - np.exp(-np.clip(values, 0.0, None) / scale))


_SHAPES: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "z": _robust_z,
    "count": _count,
}
