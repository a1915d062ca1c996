"""An explanation's score never reads higher than the hit's score as the headline prints it.

The headline cuts a score just under 1 (`clikit.score_text`: 0.99956 prints 0.9995, never a
certain 1.000); the explanation rounded it (`→ score 0.9996` under a `0.9995` headline, and
`→ score 1.0000` for 0.99996, a certainty the match does not have). It now cuts too.
"""

from __future__ import annotations

import re

from jalur.clikit import score_text
from jalur.screening import Query, Screener


def _explained(explanation: str) -> str:
    found = re.search(r"→ score (\S+?);", explanation)
    assert found, explanation
    return found.group(1)


def test_the_explanation_cuts_a_score_just_under_1(small_screener: Screener) -> None:
    queries = [
        Query("Abu Bakar Ba'asyir", birth_date="1938-08-17", country="id"),
        Query("Abu Bakar Ba'asyir", country="id"),
        Query("Abu Bakar Ba'asyir"),
        Query("Nikolai Patrushev", birth_date="1951-07-11", country="ru"),
    ]
    scores = []
    for query in queries:
        for hit in small_screener.screen(query):
            shown = _explained(hit.explanation())
            scores.append(hit.score)
            assert float(shown) <= hit.score, (shown, hit.score)
            if hit.score < 1:
                assert shown != "1.0000"
            if 0.9995 <= hit.score < 1:
                assert shown == score_text(hit.score)  # as the headline prints it
    assert any(0.9995 <= s < 1 for s in scores), scores  # the case shown
