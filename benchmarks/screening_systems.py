"""The three scorers compared on every evaluation set, behind one pair-scoring interface.

- jalur: this project's screener, end to end (retrieval + scoring). A pair is scored by
  screening the query against an index of the set's candidates and reading the candidate's
  score (0 when retrieval did not bring it up: a retrieval miss counts against jalur).
- logic-v2: nomenklatura 4.17.4's `LogicV2` (yente's current scorer), default ScoringConfig,
  `LogicV2.compare(query_entity, candidate_entity, config).score`.
- rapidfuzz: brute force, the best `fuzz.token_sort_ratio` between the query and any of the
  candidate's names after ASCII transliteration (rigour `ascii_text`) and default processing.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import replace

from followthemoney import registry
from followthemoney.proxy import EntityProxy
from nomenklatura.matching import LogicV2, ScoringConfig
from rapidfuzz import fuzz, utils
from rigour.text import ascii_text
from screening_sets import Case, EvalSet

from jalur.model import make_entity
from jalur.screening import Query, Screener, ScreeningConfig, build_index

#: Published operating points (yente's default match threshold is 0.7; the frozen name-bench
#: run of logic-v2 uses 0.7 too).
LOGIC_V2_THRESHOLD = 0.7
#: Scores below this are recorded as 0: lets retrieval prune. The lowest threshold the metrics
#: try (recall at precision, tuned thresholds) is 0.05, so nothing above it is cut.
FLOOR = 0.05


_QUERY_IDS = itertools.count()


def query_entity(case: Case) -> EntityProxy:
    """The case's query as an FtM entity; a fresh id each time (nomenklatura caches by id)."""
    entity = make_entity(
        case.schema if case.schema in ("Person", "Organization", "Company") else "LegalEntity",
        f"query-{next(_QUERY_IDS)}",
    )
    entity.add("name", case.query)
    if case.dob and "birthDate" in entity.schema.properties:
        entity.add("birthDate", case.dob, quiet=True)
    if case.country:
        prop = "nationality" if entity.schema.name == "Person" else "country"
        entity.add(prop, case.country, quiet=True)
    return entity


def country_code(value: str | None) -> str | None:
    if not value:
        return None
    return registry.country.clean(value) or None


class Jalur:
    name = "jalur"

    def __init__(self, config: ScreeningConfig | None = None) -> None:
        base = config or ScreeningConfig.defaults()
        self.config = base
        self.open = replace(base, max_hits=100_000)

    def index(self, entities: dict[str, EntityProxy]) -> Screener:
        rows = [(e, "eval", key, []) for key, e in entities.items()]
        return Screener(build_index(rows), self.open)

    def score_cases(self, eval_set: EvalSet) -> list[float]:
        screener = self.index(eval_set.entities)
        scores = []
        for case in eval_set.cases:
            hits = screener.screen(_query(case), threshold=FLOOR)
            found = {hit.entity.entity_id: hit.score for hit in hits}
            scores.append(found.get(case.candidate, 0.0))
        return scores

    def features(self, eval_set: EvalSet, floor: float = FLOOR) -> list[dict[str, float] | None]:
        """Feature values of each case's candidate hit (None when not retrieved)."""
        screener = self.index(eval_set.entities)
        out: list[dict[str, float] | None] = []
        for case in eval_set.cases:
            hits = {h.entity.entity_id: h for h in screener.screen(_query(case), threshold=floor)}
            hit = hits.get(case.candidate)
            out.append(None if hit is None else {c.feature: c.value for c in hit.features})
        return out


def _query(case: Case) -> Query:
    return Query(case.query, case.dob, case.country, None, case.schema)


class LogicV2Scorer:
    name = "logic-v2"

    def __init__(self) -> None:
        self.config = ScoringConfig.defaults()

    def score_cases(self, eval_set: EvalSet) -> list[float]:
        return [
            LogicV2.compare(query_entity(c), eval_set.entities[c.candidate], self.config).score
            for c in eval_set.cases
        ]

    def score_pair(self, case: Case, candidate: EntityProxy) -> float:
        return float(LogicV2.compare(query_entity(case), candidate, self.config).score)


class RapidfuzzBaseline:
    name = "rapidfuzz"

    def score_cases(self, eval_set: EvalSet) -> list[float]:
        return [self.score_pair(c, eval_set.entities[c.candidate]) for c in eval_set.cases]

    def score_pair(self, case: Case, candidate: EntityProxy) -> float:
        query = utils.default_process(ascii_text(case.query))
        best = 0.0
        for name in candidate.get_type_values(registry.name):
            other = utils.default_process(ascii_text(name))
            best = max(best, fuzz.token_sort_ratio(query, other) / 100.0)
        return best


def timed(fn: object, *args: object) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)  # type: ignore[operator]
    return result, time.perf_counter() - start


def names_of(entities: Sequence[EntityProxy]) -> list[tuple[int, str]]:
    return [(i, n) for i, e in enumerate(entities) for n in e.get_type_values(registry.name)]
