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
                return found, [(p["kind"], list(p["accounts"])) for p in kinds]
            jobs[f"gen{seed}_{size}"] = gen
    for name, job in jobs.items():
        (payments, labels), kinds = job()
        table, seconds = bench.features_of(payments)
        pairs = payments.select(["orig_account", "bene_account"])
        with (CACHE / f"{name}.pkl").open("wb") as f:
            pickle.dump({"table": table, "labels": labels, "kinds": kinds, "pairs": pairs}, f)
        print(name, payments.num_rows, len(labels), sum(labels.values()), seconds, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build()
