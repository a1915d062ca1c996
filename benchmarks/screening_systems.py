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
import math
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
from jalur.screening import Hit, Query, Screener, ScreeningConfig, build_index

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
        """Each case's candidate scored as if it were the only listed entry (`alone`)."""
        return [0.0 if hit is None else hit.score for hit in self.pair_hits(eval_set, FLOOR)]

    def features(self, eval_set: EvalSet, floor: float = FLOOR) -> list[dict[str, float] | None]:
        """Feature values of each case's candidate hit (None when not retrieved)."""
        return [
            None if hit is None else {c.feature: c.value for c in hit.features}
            for hit in self.pair_hits(eval_set, floor)
        ]

    def pair_hits(self, eval_set: EvalSet, floor: float) -> list[Hit | None]:
        """Each case's candidate hit, scored without the list context (`alone`).

        One index holds every candidate of the set (so that word rarities are those of a
        list), but a pair set is not a list: its candidates are other cases' names, and the
        held-out set holds each such entity twice (with and without the alias). A pair is a
        query against one entry, so `name_rival` (another entry of the list fits as well)
        is 0. The floor is lowered by the rival weight so that no such pair is cut early.
        """
        screener = self.index(eval_set.entities)
        lowered = _sigmoid(_logit(floor) + min(self.config.weights["name_rival"], 0.0))
        out: list[Hit | None] = []
        for case in eval_set.cases:
            hits = screener.screen(_query(case), threshold=lowered)
            hit = next((h for h in hits if h.entity.entity_id == case.candidate), None)
            hit = None if hit is None else alone(hit)
            out.append(hit if hit is not None and hit.score >= floor else None)
        return out


def alone(hit: Hit) -> Hit:
    """The hit with `name_rival` at 0: as if its entry were the only one listed."""
    rival = next(c for c in hit.features if c.feature == "name_rival")
    logit = hit.logit - rival.contribution
    features = tuple(replace(c, value=0.0) if c is rival else c for c in hit.features)
    return replace(hit, score=_sigmoid(logit), logit=logit, features=features, rival=None)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 60.0), -60.0)))


def _logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


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
