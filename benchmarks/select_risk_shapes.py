"""The selection run of docs/risk.md (shape-transfer round): candidates measured on S1 (5-fold
CV on AMLSim 20K_fanin200), S2 (leave-shape-out: generator seed 42 trained on some pattern
kinds, seed 7 tested on the others) and S3 (generator seed 42 <-> seed 7, all kinds),
LightGBM seeds 1-5, folds fixed. Never reads 20K_cycle200.

    PYTHONPATH=src .venv/bin/python benchmarks/select_risk_shapes.py build
    PYTHONPATH=src .venv/bin/python benchmarks/select_risk_shapes.py choose B G ...
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = Path(tempfile.gettempdir()) / "jalur-risk-shapes"
SHAPE_SIZE = 200_000
PAIR_SIZE = 100_000


def build() -> None:
    """Monitor and build every feature once per set; cache them with the planted kinds."""
    sys.path.insert(0, str(HERE))
    import bench_risk as bench
    import pyarrow.parquet as pq

    CACHE.mkdir(exist_ok=True)
    amlsim = HERE.parent.parent / "shared" / "data" / "monitoring" / "amlsim"
    scratch = Path(tempfile.mkdtemp())
    jobs: dict[str, Any] = {"fanin": lambda: (bench.amlsim_set(amlsim / "20K_fanin200"), [])}
    for seed in (42, 7):
        for size in (SHAPE_SIZE, PAIR_SIZE):

            def gen(seed: int = seed, size: int = size) -> Any:
                out = scratch / f"{seed}-{size}"
                found = bench.generator_set(seed, size, out)
                kinds = pq.read_table(out / f"gen-{seed}" / "patterns.parquet").to_pylist()
                return found, [(p["type"], list(p["accounts"])) for p in kinds]

            jobs[f"gen{seed}_{size}"] = gen
    for name, job in jobs.items():
        if (CACHE / f"{name}.pkl").exists():
            continue
        (payments, labels), kinds = job()
        table, seconds = bench.features_of(payments)
        pairs = payments.select(["orig_account", "bene_account"])
        with (CACHE / f"{name}.pkl").open("wb") as f:
            pickle.dump({"table": table, "labels": labels, "kinds": kinds, "pairs": pairs}, f)
        print(name, payments.num_rows, len(labels), sum(labels.values()), seconds, flush=True)


#: Leave-shape-out splits (docs/risk.md): training kinds -> test kinds.
_FANS = {"fan_in", "fan_out", "gather_scatter"}
_RINGS = {"cycle", "stack", "random", "scatter_gather"}
SPLITS = {"S2a": (_FANS, _RINGS), "S2b": (_RINGS, _FANS), "S2c": ({"fan_in"}, {"cycle"})}


def load(name: str) -> dict[str, Any]:
    found: dict[str, Any] = pickle.loads((CACHE / f"{name}.pkl").read_bytes())
    return found


def shape_labels(kinds: list[tuple[str, list[str]]], keep: set[str]) -> dict[str, int | None]:
    """1: planted only by kinds in `keep`; None: planted by any other kind (left out)."""
    by_account: dict[str, set[str]] = {}
    for kind, accounts in kinds:
        for a in accounts:
            by_account.setdefault(a, set()).add(kind)
    return {a: (1 if k <= keep else None) for a, k in by_account.items()}


def rows(data: dict[str, Any], keep: set[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the table used, and their labels (`keep` None: every planted is 1)."""
    table, labels = data["table"], data["labels"]
    if keep is None:
        y = np.array([labels.get(a, 0) for a in table.accounts], dtype=np.int64)
        return np.arange(len(y)), y
    planted = shape_labels(data["kinds"], keep)
    used, y = [], []
    for i, a in enumerate(table.accounts):
        label = planted.get(a, 0)
        if label is not None:
            used.append(i)
            y.append(label)
    return np.array(used), np.array(y, dtype=np.int64)


def candidate(data: dict[str, Any], name: str) -> tuple[list[str], np.ndarray]:
    """The feature names and matrix of candidate `name` on one set."""
    import candidates_shapes as cands

    return cands.transform(data, name)


def check(train: Any, test: Any, name: str) -> tuple[tuple[float, float], tuple[float, float]]:
    from sklearn.metrics import average_precision_score

    import jalur.risk.model as m

    (train_data, train_keep), (test_data, test_keep) = train, test
    _, x_all = candidate(train_data, name)
    used, y = rows(train_data, train_keep)
    x = x_all[used]
    oof = m._out_of_fold(x, y)
    threshold = m.best_threshold(y, oof)
    cv = (m.metrics(y, oof, threshold)["f1"], float(average_precision_score(y, oof)))
    if test_data is None:
        return cv, cv
    _, xt_all = candidate(test_data, name)
    used_t, yt = rows(test_data, test_keep)
    score = m._fit(x, y).predict_proba(xt_all[used_t])[:, 1]
    return cv, (m.metrics(yt, score, threshold)["f1"], float(average_precision_score(yt, score)))


def choose(names: list[str]) -> None:
    import jalur.risk.model as m

    m.PARAMS["n_jobs"] = 1  # on a shared 2-core machine two threads spin more than they gain
    sets = {n: load(n) for n in ("fanin", "gen42_200000", "gen7_200000", "gen42_100000",
                                 "gen7_100000")}  # fmt: skip
    lines: dict[str, Any] = {
        "S1": ((sets["fanin"], None), (None, None)),
        **{k: ((sets["gen42_200000"], tr), (sets["gen7_200000"], te))
           for k, (tr, te) in SPLITS.items()},
        "S3a": ((sets["gen42_100000"], None), (sets["gen7_100000"], None)),
        "S3b": ((sets["gen7_100000"], None), (sets["gen42_100000"], None)),
    }  # fmt: skip
    for name in names:
        runs = []
        for seed in range(1, 6):
            m.PARAMS["random_state"] = seed
            got = {k: check(tr, te, name)[1] for k, (tr, te) in lines.items()}
            runs.append({**got, "mean": float(np.mean([f for f, _ in got.values()]))})
            print(name, seed, json.dumps(runs[-1]), flush=True)
        print(name, json.dumps(runs), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if sys.argv[1] == "build":
        build()
    else:
        choose(sys.argv[2:])
