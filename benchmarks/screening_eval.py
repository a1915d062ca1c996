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
    ListQuery,
    ScreenedSet,
    cross_script,
    list_alias_set,
    list_entities,
    name_bench,
    recorded_alias_set,
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
    "name_conflict",
    "name_typo",
    "name_lineage",
    "weak_alias",
    "name_rival",
]
YENTE_NEGATIVES = 10_000


def evaluate(eval_set: EvalSet, systems: list[Any], jalur_threshold: float) -> list[dict[str, Any]]:
    """Each system on the set's test half; the held-out set also without unlinked positives."""
    scored = {}
    for system in systems:
        start = time.perf_counter()
        scores = system.score_cases(eval_set)
        scored[system.name] = (scores, time.perf_counter() - start)
    cases = eval_set.cases
    results = [_result(eval_set.name, eval_set.note, cases, scored, jalur_threshold)]
    if any(c.linked is not None for c in cases):
        positives = [c for c in cases if c.match and c.split == "test"]
        unlinked = sum(1 for c in positives if c.linked is False)
        keep = [c.linked is not False for c in cases]
        note = (
            f"{unlinked} of {len(positives)} test positives ({unlinked / len(positives):.1%}) "
            "share no word (fold, skeleton, name symbol) with the entity's other names; "
            "left out here"
        )
        linked = {
            name: ([s for s, k in zip(scores, keep, strict=True) if k], seconds)
            for name, (scores, seconds) in scored.items()
        }
        kept = [c for c, k in zip(cases, keep, strict=True) if k]
        results.append(_result(f"{eval_set.name} linked", note, kept, linked, jalur_threshold))
        results[0]["unlinked_test_positives"] = unlinked
    return results


def _result(
    name: str,
    note: str,
    cases: list[Case],
    scored: dict[str, tuple[list[float], float]],
    jalur_threshold: float,
) -> dict[str, Any]:
    labels = [c.match for c in cases]
    test = [c.split == "test" for c in cases]
    positives = sum(y for y, t in zip(labels, test, strict=True) if t)
    result: dict[str, Any] = {
        "set": name, "note": note, "cases": len(labels),
        "test_cases": sum(test), "test_positives": positives, "systems": {},
    }  # fmt: skip
    for system, (scores, seconds) in scored.items():
        result["systems"][system] = _system_metrics(
            system, scores, labels, test, [c.kind for c in cases], seconds, jalur_threshold
        )
    return result


def _system_metrics(
    system: str,
    scores: list[float],
    labels: list[bool],
    test: list[bool],
    kinds: list[str],
    seconds: float,
    jalur_threshold: float,
) -> dict[str, Any]:
    tune_s = [s for s, t in zip(scores, test, strict=True) if not t]
    tune_y = [y for y, t in zip(labels, test, strict=True) if not t]
    test_s = [s for s, t in zip(scores, test, strict=True) if t]
    test_y = [y for y, t in zip(labels, test, strict=True) if t]
    tuned = best_threshold(tune_s, tune_y)
    default = {"jalur": jalur_threshold, "logic-v2": LOGIC_V2_THRESHOLD}.get(system, tuned)
    r95, t95 = recall_at_precision(test_s, test_y, 0.95)
    return {
        "seconds": round(seconds, 2),
        "default": prf(test_s, test_y, default),
        "tuned": prf(test_s, test_y, tuned),
        "recall_at_precision_0.95": {"recall": r95, "threshold": t95},
        "curve": curve(test_s, test_y),
        "kinds": _by_kind(kinds, scores, labels, test, default),
    }


#: Hits an analyst sees per query on the recorded-alias sets (jalur's default `max_hits`).
TOP_HITS = 10

Ranked = list[list[tuple[str, float]]]


def evaluate_screened(
    sset: ScreenedSet, systems: list[Any], jalur_threshold: float
) -> list[dict[str, Any]]:
    """Each system's top hits per query: the owner's hit a match, any other a non-match.

    Reported twice: all queries, and the perturbed ones only (without the unperturbed
    recorded names, which are in the index verbatim).
    """
    ranked: dict[str, Ranked] = {}
    seconds: dict[str, float] = {}
    for system in systems:
        start = time.perf_counter()
        ranked[system.name] = system.rank(sset, ranked)
        seconds[system.name] = time.perf_counter() - start
    results = []
    views = [("", lambda q: True), (" perturbed", lambda q: not q.kind.startswith("exact"))]
    for suffix, keep in views:
        chosen = [i for i, q in enumerate(sset.queries) if keep(q)]
        queries = [sset.queries[i] for i in chosen]
        result: dict[str, Any] = {"set": sset.name + suffix, "note": sset.note,
                                  "queries": len(queries), "systems": {}}  # fmt: skip
        for name, hits in ranked.items():
            scores, labels, test, kinds = _screened_cases(queries, [hits[i] for i in chosen])
            result["systems"][name] = _system_metrics(
                name, scores, labels, test, kinds, seconds[name], jalur_threshold
            )
        result["cases"] = len(labels)
        result["test_cases"] = sum(test)
        result["test_positives"] = sum(y for y, t in zip(labels, test, strict=True) if t)
        results.append(result)
    return results


def _screened_cases(
    queries: list[ListQuery], ranked: Ranked
) -> tuple[list[float], list[bool], list[bool], list[str]]:
    """(score, match) pairs: each query's owner (0 when not in its top hits) and other hits."""
    scores, labels, test, kinds = [], [], [], []
    for query, hits in zip(queries, ranked, strict=True):
        shown = [(k, s) for k, s in hits if k not in query.namesakes][:TOP_HITS]
        owner = max((s for k, s in shown if k == query.owner), default=0.0)
        rows = [(owner, True)] + [(s, False) for k, s in shown if k != query.owner]
        for score, match in rows:
            scores.append(score)
            labels.append(match)
            test.append(query.split == "test")
            kinds.append(query.kind)
    return scores, labels, test, kinds


def _list_case(query: ListQuery) -> Case:
    return Case(query.query, query.owner, True, query.kind, query.split, query.schema)


class JalurRanked:
    name = "jalur"

    def rank(self, sset: ScreenedSet, _: dict[str, Ranked]) -> Ranked:
        screener = Jalur().index(sset.entities)
        return [
            [(h.entity.entity_id, h.score)
             for h in screener.screen(Jalur_query(_list_case(q)), threshold=FLOOR)[: 2 * TOP_HITS]]
            for q in sset.queries
        ]  # fmt: skip


class RapidfuzzRanked:
    """Brute force: every query against every name of the list, best name per entity."""

    name = "rapidfuzz"

    def rank(self, sset: ScreenedSet, _: dict[str, Ranked]) -> Ranked:
        from followthemoney import registry
        from rapidfuzz import fuzz, process, utils
        from rigour.text import ascii_text

        keys = list(sset.entities)
        names, starts = [], []
        for key in keys:
            starts.append(len(names))
            names += [utils.default_process(ascii_text(n))
                      for n in sset.entities[key].get_type_values(registry.name)]  # fmt: skip
        queries = [utils.default_process(ascii_text(q.query)) for q in sset.queries]
        out: Ranked = []
        for start in range(0, len(queries), 1000):
            block = process.cdist(
                queries[start : start + 1000], names, scorer=fuzz.token_sort_ratio,
                dtype=np.uint8, workers=2,
            )  # fmt: skip
            best = np.maximum.reduceat(block, np.asarray(starts), axis=1)
            top = np.argsort(-best, axis=1, kind="stable")[:, : 2 * TOP_HITS]
            for row, columns in enumerate(top):
                out.append([(keys[c], best[row, c] / 100.0) for c in columns
                            if best[row, c] >= FLOOR * 100])  # fmt: skip
        return out


class LogicV2Ranked:
    """logic-v2 on the union of jalur's and rapidfuzz's top hits (it has no retrieval)."""

    name = "logic-v2"

    def rank(self, sset: ScreenedSet, others: dict[str, Ranked]) -> Ranked:
        scorer = LogicV2Scorer()
        out: Ranked = []
        for i, query in enumerate(sset.queries):
            keys = {k for system in others.values() for k, _ in system[i][:TOP_HITS]}
            case = _list_case(query)
            scored = [(k, scorer.score_pair(case, sset.entities[k])) for k in sorted(keys)]
            out.append(sorted((p for p in scored if p[1] >= FLOOR), key=lambda p: -p[1]))
        return out


def _by_kind(
    kinds_of: list[str], scores: list[float], labels: list[bool], test: list[bool], threshold: float
) -> dict[str, Any]:
    kinds: dict[str, list[tuple[float, bool]]] = {}
    for kind, score, label, is_test in zip(kinds_of, scores, labels, test, strict=True):
        if is_test:
            kinds.setdefault(kind, []).append((score, label))
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


#: Weights held, not fitted. `name_information` fitted negative (hard non-matches share rare
#: words, positives with typos match fewer): held at 0, word rarity still weighs the coverage
#: features. `weak_alias`: no set queries a weak alias (the lists' own aliases are `name` and
#: `alias`), so weak aliases reach the fit only as other entities' false hits and it would
#: fit them too negative (an exact weak-alias match would fall below 0.7); held at the value
#: of the fit without recorded-alias hits. `name_common`: the sets are list names, not the
#: screened population, so none says how common a customer's given name is (docs/screening.md).
HELD = {"name_information": 0.0, "weak_alias": -2.71, "name_common": -7.0, "name_rival": -2.5}
#: Training pairs are those scoring at least this (under the current weights): the fit is to
#: rank pairs near where analysts work, not to separate junk from junk far below it.
FIT_FLOOR = 0.25


def fit(
    sets: list[EvalSet],
    yente: EvalSet,
    screened: list[ScreenedSet],
    dump: Path = Path("/tmp/screening_fit.npz"),
) -> None:
    """Refit the name weights on the tune halves and print them for data/defaults.toml.

    Training pairs: every retrieved (query, candidate) pair of the tune halves, the best UN
    hit of each tune-half yente negative (a person on no list) as a non-match (the common
    names a bank's customers have are exactly what must not hit), and the top hits of each
    tune-half recorded-alias query (the owner a match, other entities of the same list hard
    non-matches). The threshold is the best mean F1 over the sets' tune halves; the bias is
    then shifted so that this operating point reads as the configured threshold. Every
    case's features (NaN when not retrieved), label, split and set go to `dump`.
    """
    feats_all, labels_all, tune_all, set_all = [], [], [], []
    jalur = Jalur()

    def add(feats: dict[str, float] | None, match: bool, tune: bool, number: int) -> None:
        feats_all.append([np.nan if feats is None else feats[f] for f in NAME_FEATURES])
        labels_all.append(match)
        tune_all.append(tune)
        set_all.append(number)

    for number, eval_set in enumerate(sets):
        for case, feats in zip(eval_set.cases, jalur.features(eval_set, FIT_FLOOR), strict=True):
            add(feats, case.match, case.split == "tune", number)
    screener = jalur.index(yente.entities)
    for case in yente.cases:
        hits = screener.screen(Jalur_query(case), threshold=FIT_FLOOR)
        add({c.feature: c.value for c in hits[0].features} if hits else None, case.match,
            case.split == "tune", len(sets))  # fmt: skip
    for number, sset in enumerate(screened, start=len(sets) + 1):
        screener = jalur.index(sset.entities)
        for query in sset.queries:
            hits = screener.screen(Jalur_query(_list_case(query)), threshold=FIT_FLOOR)
            shown = [h for h in hits if h.entity.entity_id not in query.namesakes][:TOP_HITS]
            owner = [h for h in shown if h.entity.entity_id == query.owner]
            add({c.feature: c.value for c in owner[0].features} if owner else None, True,
                query.split == "tune", number)  # fmt: skip
            for hit in shown:
                if hit.entity.entity_id != query.owner:
                    add({c.feature: c.value for c in hit.features}, False,
                        query.split == "tune", number)  # fmt: skip
    x, y = np.asarray(feats_all), np.asarray(labels_all, dtype=float)
    tune, which = np.asarray(tune_all), np.asarray(set_all)
    np.savez(dump, x=x, y=y, tune=tune, set=which)
    fitted = [i for i, f in enumerate(NAME_FEATURES) if f not in HELD]
    use = tune & ~np.isnan(x).any(axis=1)
    weights = np.array([0.0, *(HELD.get(f, 0.0) for f in NAME_FEATURES)])
    offset = x[use] @ weights[1:]
    weights[[0, *(i + 1 for i in fitted)]] = fit_logistic(x[use][:, fitted], y[use], offset=offset)
    retrieved = ~np.isnan(x).any(axis=1)
    logits = weights[0] + np.nan_to_num(x) @ weights[1:]
    probability = np.where(retrieved, 1.0 / (1.0 + np.exp(-logits)), 0.0)
    grid = np.arange(0.05, 0.96, 0.01)
    mean_f1 = [
        np.mean([prf(probability[tune & (which == k)], y[tune & (which == k)] > 0.5, t)["f1"]
                 for k in np.unique(which)])
        for t in grid
    ]  # fmt: skip
    best = float(grid[int(np.argmax(mean_f1))])
    target = ScreeningConfig.defaults().threshold
    shift = _logit(target) - _logit(best)
    print(f"fitted on {int(use.sum())} tune pairs ({int(y[use].sum())} matches)")
    print(f"best mean tune F1 {max(mean_f1):.4f} at {best:.2f}; bias {weights[0]:.2f} "
          f"shifted by {shift:+.2f} so that it reads as {target}:")  # fmt: skip
    print(f"bias = {weights[0] + shift:.2f}")
    for name, weight in zip(NAME_FEATURES, weights[1:], strict=True):
        print(f"{name} = {weight:.2f}")


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


ALL_SYSTEMS = ("jalur", "logic-v2", "rapidfuzz")


def run(
    fit_only: bool = False, out: Path | None = None, only: tuple[str, ...] = ALL_SYSTEMS
) -> dict[str, Any]:
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
    screened = [
        recorded_alias_set(lists["un-sc"], "un-sc"),
        recorded_alias_set(lists["ofac-sdn"], "ofac-sdn", limit=1000),
    ]
    if fit_only:
        fit(pair_sets, yente, screened)
        return {}
    threshold = ScreeningConfig.defaults().threshold
    pick = lambda systems: [s for s in systems if s.name in only]  # noqa: E731
    results = []
    for screened_set in screened:
        ranked = [JalurRanked(), RapidfuzzRanked(), LogicV2Ranked()]
        results += evaluate_screened(screened_set, pick(ranked), threshold)
    for pair_set in pair_sets:
        results += evaluate(pair_set, pick([Jalur(), LogicV2Scorer(), RapidfuzzBaseline()]),
                            threshold)  # fmt: skip
    jalur = Jalur()
    list_systems = [
        BestOfList(Jalur(), jalur, yente),
        BestOfList(LogicV2Scorer(), jalur, yente),
        BruteForce(),
    ]
    results += evaluate(yente, pick(list_systems), threshold)
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
    parser.add_argument(
        "--systems", default=",".join(ALL_SYSTEMS), help="comma-separated subset (iteration)"
    )
    args = parser.parse_args()
    run(fit_only=args.fit, out=args.out, only=tuple(args.systems.split(",")))


def report(results: list[dict[str, Any]]) -> None:
    print(
        f"{'set (test half)':40} {'system':10} {'thr':>5} {'P':>6} {'R':>6} {'F1':>6}"
        f"  {'tuned thr':>9} {'F1':>6}  {'R@P.95':>6}  {'sec':>6}"
    )
    for result in results:
        for name, m in result["systems"].items():
            d, t = m["default"], m["tuned"]
            print(
                f"{result['set'][:40]:40} {name:10} {d['threshold']:5.2f} {d['precision']:6.3f} "
                f"{d['recall']:6.3f} {d['f1']:6.3f}  {t['threshold']:9.2f} {t['f1']:6.3f}  "
                f"{m['recall_at_precision_0.95']['recall']:6.3f}  {m['seconds']:6.1f}"
            )
    print("\nP/R curve, jalur (test half): threshold precision/recall")
    for result in results:
        if "jalur" not in result["systems"]:
            continue
        points = result["systems"]["jalur"]["curve"]
        print(
            f"{result['set'][:40]:40} "
            + " ".join(
                f"{p['threshold']:.2f}:{p['precision']:.2f}/{p['recall']:.2f}" for p in points[::2]
            )
        )


if __name__ == "__main__":
    main()
