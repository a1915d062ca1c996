"""The scorecard ranks without labels: a planted split-and-spread account comes first."""

from __future__ import annotations

import numpy as np
from risk_builders import economy, load

from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.risk import account_features, score_card
from jalur.risk.scorecard import population_rank


def test_planted_pattern_ranks_first(store):
    engine = DuckDBEngine(load(store, economy(planted=("SMURF",))))
    card = score_card(account_features(engine))
    engine.close()
    order = np.argsort(-card.points, kind="stable")
    # both ends of the planted split payments (SMURF and its payee N0) rank first
    assert {card.accounts[i] for i in order[:2]} == {"SMURF", "N0"}
    assert card.points[order[1]] > 2 * card.points[order[2]]
    top = card.accounts.index("SMURF")
    assert card.score[top] > 0.95 and bool(card.flag[top])
    assert "same_day_repeats" in card.explanation(top)


def test_scores_are_population_ranks():
    ranks = population_rank(np.array([1.0, 3.0, 2.0, 2.0]))
    assert list(ranks) == [0.0, 1.0, 2 / 3, 2 / 3]  # a tie shares the higher rank
    assert list(population_rank(np.array([5.0]))) == [0.0]
