"""The selection run of docs/risk.md (temporal-structure round): candidate feature groups
measured on S1 (5-fold CV on AMLSim 20K_fanin200), S2 (20K_fanin200 -> generator seed 42,
100,000 payments) and S3 (generator seed 42 -> 20K_fanin200), LightGBM seeds 1-5, folds fixed.
Never reads 20K_cycle200.

    PYTHONPATH=src .venv/bin/python benchmarks/select_risk_features.py build
    PYTHONPATH=src .venv/bin/python benchmarks/select_risk_features.py choose B T W P A T+A
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = Path(tempfile.gettempdir()) / "jalur-risk-selection"
GROUPS = {
    "T": ["temporal_cycles", "scatter_gather", "gather_scatter"],
    "W": ["degree_in_day_max", "degree_out_day_max", "degree_in_week_max",
          "degree_out_week_max", "fan_in_day_max", "fan_out_day_max"],
    "P": ["relay_count", "relay_share"],
    "A": ["amount_own_max_ratio", "amount_own_min_ratio", "amount_own_far_share"],
}  # fmt: skip
NEW = {n for g in GROUPS.values() for n in g}


def build() -> None:
    """Monitor and build every feature (all candidates) once per set; cache them."""
    sys.path.insert(0, str(HERE))
    import bench_risk as bench

    CACHE.mkdir(exist_ok=True)
    amlsim = HERE.parent.parent / "shared" / "data" / "monitoring" / "amlsim"
    sets = {
        "fanin": bench.amlsim_set(amlsim / "20K_fanin200"),
        "gen42": bench.generator_set(42, 100_000, Path(tempfile.mkdtemp())),
    }
    for name, (payments, labels) in sets.items():
        table, _ = bench.features_of(payments)
        with (CACHE / f"{name}.pkl").open("wb") as f:
            pickle.dump((table, labels), f)


def choose(candidates: list[str]) -> None:
    from sklearn.metrics import average_precision_score

    import jalur.risk.model as m

    m.PARAMS["n_jobs"] = 1  # on a shared 2-core machine two threads spin more than they gain
    sets = [pickle.loads((CACHE / f"{n}.pkl").read_bytes()) for n in ("fanin", "gen42")]

    def xy(table, labels, cols):  # type: ignore[no-untyped-def]
        y = np.array([labels.get(a, 0) for a in table.accounts], dtype=np.int64)
        return table.aligned(cols), y

    def check(train, test, cols):  # type: ignore[no-untyped-def]
        x, y = xy(*train, cols)
        oof = m._out_of_fold(x, y)
        threshold = m.best_threshold(y, oof)
        xt, yt = xy(*test, cols)
        score = m._fit(x, y).predict_proba(xt)[:, 1]
        cv = (m.metrics(y, oof, threshold)["f1"], float(average_precision_score(y, oof)))
        return cv, (
            m.metrics(yt, score, threshold)["f1"],
            float(average_precision_score(yt, score)),
        )

    results = {}
    for label in candidates:
        groups = [] if label == "B" else label.split("+")
        base = [n for n in sets[0][0].names if n not in NEW]
        cols = base + [n for g in groups for n in GROUPS[g]]
        runs = []
        for seed in range(1, 6):
            m.PARAMS["random_state"] = seed
            s1, s2 = check(sets[0], sets[1], cols)
            _, s3 = check(sets[1], sets[0], cols)
            runs.append({"S1": s1, "S2": s2, "S3": s3, "mean": (s1[0] + s2[0] + s3[0]) / 3})
        results[label] = runs
        print(label, json.dumps(runs), flush=True)


if __name__ == "__main__":
    build() if sys.argv[1] == "build" else choose(sys.argv[2:])
