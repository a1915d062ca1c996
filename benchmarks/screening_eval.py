"""Screening quality: jalur vs nomenklatura logic-v2 vs brute-force rapidfuzz, same cases.

Run: `.venv/bin/python benchmarks/screening_eval.py [--fit]` (needs ../shared/data).
Every set is split tune/test by a stable hash (entity or row). Reported figures are on the TEST
half: each system at its own default threshold (jalur: data/defaults.toml; logic-v2: 0.7, its
published operating point; rapidfuzz: the best-F1 threshold on the tune half, generous to the
baseline), plus each system at the best-F1 threshold chosen on the tune half, and the P/R curve.
`--fit` refits jalur's name weights on the tune halves and prints them (they were copied into
data/defaults.toml from such a run).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_metrics import best_threshold, curve, fit_logistic, prf, recall_at_precision
from screening_sets import (
    Case,
    EvalSet,
    cross_script,
    list_alias_set,
    list_entities,
    name_bench,
    transliteration,
    yente_queries,
)
from screening_systems import (
    FLOOR,
    LOGIC_V2_THRESHOLD,
    Jalur,
    LogicV2Scorer,
    RapidfuzzBaseline,
    country_code,
)

from jalur.screening import ScreeningConfig

NAME_FEATURES = [
    "name_query_coverage",
    "name_alias_coverage",
    "name_information",
    "name_string",
    "weak_alias",
]
YENTE_NEGATIVES = 10_000


def evaluate(eval_set: EvalSet, systems: list[Any], jalur_threshold: float) -> dict[str, Any]:
    labels = [c.match for c in eval_set.cases]
    test = [c.split == "test" for c in eval_set.cases]
    positives = sum(y for y, t in zip(labels, test, strict=True) if t)
    result: dict[str, Any] = {
        "set": eval_set.name, "note": eval_set.note, "cases": len(labels),
        "test_cases": sum(test), "test_positives": positives, "systems": {},
    }  # fmt: skip
    for system in systems:
        start = time.perf_counter()
        scores = system.score_cases(eval_set)
        seconds = time.perf_counter() - start
        tune_s = [s for s, t in zip(scores, test, strict=True) if not t]
        tune_y = [y for y, t in zip(labels, test, strict=True) if not t]
        test_s = [s for s, t in zip(scores, test, strict=True) if t]
        test_y = [y for y, t in zip(labels, test, strict=True) if t]
        tuned = best_threshold(tune_s, tune_y)
        default = {"jalur": jalur_threshold, "logic-v2": LOGIC_V2_THRESHOLD}.get(system.name, tuned)
        r95, t95 = recall_at_precision(test_s, test_y, 0.95)
        result["systems"][system.name] = {
            "seconds": round(seconds, 2),
            "default": prf(test_s, test_y, default),
            "tuned": prf(test_s, test_y, tuned),
            "recall_at_precision_0.95": {"recall": r95, "threshold": t95},
            "curve": curve(test_s, test_y),
            "kinds": _by_kind(eval_set.cases, scores, default),
        }
    return result


def _by_kind(cases: list[Case], scores: list[float], threshold: float) -> dict[str, Any]:
    kinds: dict[str, list[tuple[float, bool]]] = {}
    for case, score in zip(cases, scores, strict=True):
        if case.split == "test":
            kinds.setdefault(case.kind, []).append((score, case.match))
    return {
        kind: prf([s for s, _ in pairs], [y for _, y in pairs], threshold)
        for kind, pairs in sorted(kinds.items())
    }


def yente_set(un_entities: list[Any], seed: int = 5) -> EvalSet:
    """yente's UN positives and a sample of its negatives, each against the whole UN list.

    A positive counts as found when its best-scoring UN entry is at or above the threshold;
    a negative is a false positive when any UN entry is. The candidate for each case is the
    entry the query's best score points to, so all systems score (query, that entry) pairs:
    candidates come from jalur's retrieval at threshold 0 and from brute-force rapidfuzz.
    """
    positives, negatives = yente_queries()
    rng = random.Random(seed)
    negatives = rng.sample(negatives, YENTE_NEGATIVES)
    out = EvalSet("yente-un", note=f"683 UN positives + {YENTE_NEGATIVES} sampled negatives")
    for entity in un_entities:
        out.entities[str(entity.id)] = entity
    for i, row in enumerate(positives + negatives):
        match = i < len(positives)
        out.cases.append(
            Case(row["full_name"], "*", match, "positive" if match else "negative",
                 "tune" if i % 2 else "test", "Person", row.get("date_of_birth") or None,
                 country_code(row.get("nationality")))
        )  # fmt: skip
    return out


class BestOfList:
    """Score a query against a whole list: the best score over its candidates."""

    def __init__(self, system: Any, jalur: Jalur, eval_set: EvalSet) -> None:
        self.system = system
        self.name = system.name
        self.screener = jalur.index(eval_set.entities)
        self.entities = eval_set.entities
        self.baseline = RapidfuzzBaseline()

    def score_cases(self, eval_set: EvalSet) -> list[float]:
        scores = []
        for case in eval_set.cases:
            hits = self.screener.screen(Jalur_query(case), threshold=FLOOR)
            if self.name == "jalur":
                scores.append(hits[0].score if hits else 0.0)
                continue
            keys = [h.entity.entity_id for h in hits[:10]]
            scores.append(max((self._pair(case, k) for k in keys), default=0.0))
        return scores

    def _pair(self, case: Case, key: str) -> float:
        return float(self.system.score_pair(case, self.entities[key]))


def Jalur_query(case: Case) -> Any:  # noqa: N802 - mirrors Jalur's own query builder
    from jalur.screening import Query

    return Query(case.query, case.dob, case.country, None, case.schema)


def brute_force_best(eval_set: EvalSet) -> list[float]:
    """rapidfuzz against every name of the list (no retrieval): cdist, token_sort_ratio."""
    from followthemoney import registry
    from rapidfuzz import fuzz, process, utils
    from rigour.text import ascii_text

    names = [
        utils.default_process(ascii_text(n))
        for e in eval_set.entities.values()
        for n in e.get_type_values(registry.name)
    ]
    queries = [utils.default_process(ascii_text(c.query)) for c in eval_set.cases]
    best = np.zeros(len(queries))
    for start in range(0, len(queries), 2000):
        block = process.cdist(
            queries[start : start + 2000], names, scorer=fuzz.token_sort_ratio,
            dtype=np.uint8, workers=2,
        )  # fmt: skip
        best[start : start + 2000] = block.max(axis=1) / 100.0
    return [float(b) for b in best]


class BruteForce:
    name = "rapidfuzz"

    def score_cases(self, eval_set: EvalSet) -> list[float]:
        return brute_force_best(eval_set)


def fit(sets: list[EvalSet], yente: EvalSet, dump: Path = Path("/tmp/screening_fit.npz")) -> None:
    """Refit the name weights on the tune halves and print them for data/defaults.toml.

    Training pairs: every retrieved (query, candidate) pair of the tune halves, plus the best
    UN hit of each tune-half yente negative (a person on no list) as a non-match: the common
    names a bank's customers have are exactly what must not hit. Every case's features (NaN
    when not retrieved), label, split and set are saved to `dump` for threshold studies.
    """
    feats_all, labels_all, tune_all, set_all = [], [], [], []
    jalur = Jalur()
    for number, eval_set in enumerate(sets):
        for case, feats in zip(eval_set.cases, jalur.features(eval_set), strict=True):
            feats_all.append([np.nan] * len(NAME_FEATURES) if feats is None
                             else [feats[f] for f in NAME_FEATURES])  # fmt: skip
            labels_all.append(case.match)
            tune_all.append(case.split == "tune")
            set_all.append(number)
    screener = jalur.index(yente.entities)
    for case in yente.cases:
        hits = screener.screen(Jalur_query(case), threshold=FLOOR)
        best = {c.feature: c.value for c in hits[0].features} if hits else {}
        feats_all.append([best.get(f, np.nan) for f in NAME_FEATURES])
        labels_all.append(case.match)
        tune_all.append(case.split == "tune")
        set_all.append(len(sets))
    x, y = np.asarray(feats_all), np.asarray(labels_all, dtype=float)
    tune, which = np.asarray(tune_all), np.asarray(set_all)
    np.savez(dump, x=x, y=y, tune=tune, set=which)
    use = tune & ~np.isnan(x).any(axis=1)
    weights = fit_logistic(x[use], y[use])
    print(f"fitted on {int(use.sum())} tune pairs ({int(y[use].sum())} matches):")
    print(f"bias = {weights[0]:.2f}")
    for name, weight in zip(NAME_FEATURES, weights[1:], strict=True):
        print(f"{name} = {weight:.2f}")


def run(fit_only: bool = False, out: Path | None = None) -> dict[str, Any]:
    """Build every set, score it with the three systems, print and return the summary."""
    lists = list_entities()
    pair_sets = [
        list_alias_set(lists["un-sc"], "un-sc"),
        list_alias_set(lists["ofac-sdn"], "ofac-sdn", limit=2500),
        name_bench(),
        cross_script(),
        transliteration(),
    ]
    yente = yente_set(lists["un-sc"])
    if fit_only:
        fit(pair_sets, yente)
        return {}
    threshold = ScreeningConfig.defaults().threshold
    systems = [Jalur(), LogicV2Scorer(), RapidfuzzBaseline()]
    results = [evaluate(s, systems, threshold) for s in pair_sets]
    jalur = Jalur()
    list_systems = [
        BestOfList(Jalur(), jalur, yente),
        BestOfList(LogicV2Scorer(), jalur, yente),
        BruteForce(),
    ]
    results.append(evaluate(yente, list_systems, threshold))
    report(results)
    summary = {"threshold": threshold, "sets": results}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(summary, indent=1))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", action="store_true", help="refit name weights on tune halves")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/screening_eval.json"))
    args = parser.parse_args()
    run(fit_only=args.fit, out=args.out)


def report(results: list[dict[str, Any]]) -> None:
    print(
        f"{'set (test half)':34} {'system':10} {'thr':>5} {'P':>6} {'R':>6} {'F1':>6}"
        f"  {'tuned thr':>9} {'F1':>6}  {'R@P.95':>6}  {'sec':>6}"
    )
    for result in results:
        for name, m in result["systems"].items():
            d, t = m["default"], m["tuned"]
            print(
                f"{result['set'][:34]:34} {name:10} {d['threshold']:5.2f} {d['precision']:6.3f} "
                f"{d['recall']:6.3f} {d['f1']:6.3f}  {t['threshold']:9.2f} {t['f1']:6.3f}  "
                f"{m['recall_at_precision_0.95']['recall']:6.3f}  {m['seconds']:6.1f}"
            )
    print("\nP/R curve, jalur (test half): threshold precision/recall")
    for result in results:
        points = result["systems"]["jalur"]["curve"]
        print(
            f"{result['set'][:34]:34} "
            + " ".join(
                f"{p['threshold']:.2f}:{p['precision']:.2f}/{p['recall']:.2f}" for p in points[::2]
            )
        )


if __name__ == "__main__":
    main()
