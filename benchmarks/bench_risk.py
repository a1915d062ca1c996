"""Per-account risk, evaluated so it cannot fool us: train on one labelled set, test on another.

    .venv/bin/python benchmarks/bench_risk.py [--gfp-python /tmp/gfpvenv/bin/python]
    .venv/bin/python benchmarks/bench_risk.py --scale 5000000      # time and memory only
    .venv/bin/python benchmarks/bench_risk.py --scale-parquet GEN/transactions.parquet

The scale run (the 5-million-payment figure: typologies, features and scoring together, floor
under 60 s and 8 GB) generates `--scale` payments with seed 42 (about 7 minutes for 5M; or
takes a folder `jalur generate` wrote, via `--scale-parquet`, beside its patterns.parquet),
then in a fresh process loads them into an in-memory store and times each stage: wall seconds,
the process's CPU seconds (all threads; on a shared machine the steadier figure), seconds per
typology, the peak RSS of that process, and the load average before and after. It prints one
JSON object; `typologies_features_scoring_s` is the figure the floor is about.

For each labelled set (IBM AMLSim 20K_fanin200 and 20K_cycle200 from ../shared/data, and the
jalur generator at two seeds) the unsupervised scorecard is scored on the set itself; the
trained model (jalur.risk, threshold cross-validated on the training set only) and, side by
side, IBM's Graph Feature Preprocessor (snapml) + LightGBM are trained on one set and tested
on the other of the pair. Metrics: ROC-AUC, average precision, precision/recall/F1 at the
operating threshold, precision at K (K = positives of the test set). `--only amlsim`
or `--only generator` runs one family (results in risk-amlsim.json / risk-generator.json).

`--only shapes` is the leave-shape-out check (risk-shapes.json): the generator at seed 42
trains with the positives of some pattern kinds only (accounts of the other kinds left out),
seed 7 tests with the positives of the held-out kinds only (other planted accounts left out),
for the splits in `SHAPE_SPLITS` — a model learnt on one laundering shape, tested on others,
as AMLSim's fan-in → cycle pair is, without reading that pair.

What the pairs share: the two AMLSim samples come from the same simulator with the same
background behaviour and 20,000 accounts each, but different accounts and a different
laundering shape (fan-in vs cycle); the generator sets share the generator's code and pattern
types, not a single payment (different seeds). Every set is monitored first (all typologies,
defaults, no list seeds) so the typology features are there as in production.

snapml is benchmark-only (requirements-bench.txt) and may not be importable beside jalur:
GFP runs in `--gfp-python` (a venv with snapml, numpy, lightgbm, scikit-learn), as a worker
process of this same file. Writes benchmarks/results/risk.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "risk.json"
AMLSIM = ("20K_fanin200", "20K_cycle200")
GENERATOR_SEEDS = (42, 7)
#: Leave-shape-out splits (name: training kinds, test kinds), fixed before they were run
#: (docs/risk.md); the kinds in neither side are left out of both.
SHAPE_SPLITS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "mirror": (frozenset({"fan_in", "fan_out", "gather_scatter"}),
               frozenset({"cycle", "stack", "random", "scatter_gather"})),
    "mirror-reverse": (frozenset({"cycle", "stack", "random", "scatter_gather"}),
                       frozenset({"fan_in", "fan_out", "gather_scatter"})),
    "fan_in-to-cycle": (frozenset({"fan_in"}), frozenset({"cycle"})),
}  # fmt: skip


# ---------------------------------------------------------------- labelled sets (jalur side)


def amlsim_set(folder: Path) -> tuple[Any, dict[str, int]]:
    """AMLSim payments in the canonical schema, and isFraud per account."""
    sys.path.insert(0, str(HERE.parent / "tests" / "monitoring"))
    from amlsim_eval import amlsim_payments, fraud_accounts

    payments = amlsim_payments(folder)
    fraud = fraud_accounts(folder)
    return payments, _labels_for(payments, fraud)


def generator_set(seed: int, size: int, scratch: Path) -> tuple[Any, dict[str, int]]:
    """`jalur generate` output; an account is laundering when a planted pattern names it."""
    import pyarrow.parquet as pq

    from jalur.transactions.generate import GeneratorConfig, generate

    out = scratch / f"gen-{seed}"
    generate(GeneratorConfig(transactions=size, seed=seed), out)
    patterns = pq.read_table(out / "patterns.parquet").to_pylist()
    planted = {a for p in patterns for a in p["accounts"]}
    payments = pq.read_table(out / "transactions.parquet")
    return payments, _labels_for(payments, planted)


def planted_kinds(seed: int, scratch: Path) -> dict[str, set[str]]:
    """The pattern kinds (`type`) that name each planted account of `generator_set`'s output."""
    import pyarrow.parquet as pq

    kinds: dict[str, set[str]] = {}
    for p in pq.read_table(scratch / f"gen-{seed}" / "patterns.parquet").to_pylist():
        for account in p["accounts"]:
            kinds.setdefault(account, set()).add(p["type"])
    return kinds


def shape_labels(
    labels: dict[str, int], kinds: dict[str, set[str]], keep: frozenset[str]
) -> dict[str, int]:
    """1 for accounts planted only by kinds in `keep`, 0 for unplanted ones; every other
    planted account left out (neither a positive nor a negative)."""
    found = {a: 0 for a, label in labels.items() if not label}
    found.update({a: 1 for a, k in kinds.items() if k <= keep and a in labels})
    return found


def _labels_for(payments: Any, positives: set[str]) -> dict[str, int]:
    accounts = set(payments["orig_account"].to_pylist()) | set(payments["bene_account"].to_pylist())
    accounts.discard(None)
    return {str(a): int(a in positives) for a in accounts}


def features_of(payments: Any) -> tuple[Any, dict[str, float]]:
    """Monitor the payments (all typologies) then build the account features; timings."""
    from jalur.monitoring import detect, load_params
    from jalur.monitoring.engines.duckdb import DuckDBEngine
    from jalur.monitoring.seeds import HITS_SCHEMA, Seeds
    from jalur.risk import RiskContext, account_features, alerts_table
    from jalur.store import Store

    with Store(":memory:") as store:
        store.con.register("_p", payments)
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM _p")
        store.con.unregister("_p")
        engine = DuckDBEngine(store)
        clock = time.perf_counter()
        seeds = Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())
        alerts = detect(engine, load_params(), seeds).alerts
        typologies = time.perf_counter() - clock
        rows = [(acc, a.typology, "subject" if acc == a.account else "involved", a.score)
                for a in alerts for acc in a.accounts]  # fmt: skip
        clock = time.perf_counter()
        table = account_features(engine, RiskContext(alerts=alerts_table(rows)))
        building = time.perf_counter() - clock
        engine.close()
    return table, {"typologies_s": round(typologies, 2), "features_s": round(building, 2)}


def evaluate(y: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, float]:
    from jalur.risk import metrics

    return metrics(y, score, threshold)


def scorecard_line(features: Any, labels: dict[str, int]) -> dict[str, float]:
    from jalur.risk import FLAG_SHARE, score_card

    card = score_card(features)
    y = np.array([labels.get(a, 0) for a in card.accounts])
    return evaluate(y, card.score, 1.0 - FLAG_SHARE)


def model_line(
    train_set: tuple[Any, dict[str, int]], test_set: tuple[Any, dict[str, int]]
) -> dict[str, float]:
    from jalur.risk import Labels, score_accounts, train

    (train_features, train_labels), (test_features, test_labels) = train_set, test_set
    labels = Labels(
        source="bench", by_account={a: train_labels.get(a, 0) for a in train_features.accounts}
    )
    model = train(train_features, labels, payments=0)
    found = score_accounts(model, test_features)
    y = np.array([test_labels.get(a, 0) for a in found.accounts])
    return {**evaluate(y, found.score, model.threshold), "threshold": round(model.threshold, 4)}


# ---------------------------------------------------------------- GFP + LightGBM (worker)


def edges_file(payments: Any, labels: dict[str, int], path: Path) -> None:
    """Payments as GFP's edge list (id, source, target, time in s, amount) and labels."""
    import pyarrow.compute as pc

    orig = payments["orig_account"].to_pylist()
    bene = payments["bene_account"].to_pylist()
    keep = [i for i, (o, b) in enumerate(zip(orig, bene, strict=True)) if o and b and o != b]
    names = sorted(labels)
    code = {a: i for i, a in enumerate(names)}
    ts = pc.cast(payments["timestamp"], "int64").to_numpy(zero_copy_only=False) // 1_000_000
    amount = pc.coalesce(payments["amount_reporting"], payments["amount"])
    amounts = amount.to_numpy(zero_copy_only=False)
    edges = np.array(
        [[i, code[orig[i]], code[bene[i]], ts[i], amounts[i]] for i in keep], dtype=np.float64
    )
    y = np.array([labels[a] for a in names], dtype=np.int64)
    np.savez(path, edges=edges, y=y)


def gfp_worker(train_path: str, test_path: str, out_path: str) -> None:
    """Runs under --gfp-python: GFP edge features, pooled per account, then LightGBM with the
    same cross-validated threshold rule as jalur's model."""
    import lightgbm as lgb
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    params = {
        "n_estimators": 200,
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_child_samples": 50,
        "subsample": 0.8,
        "subsample_freq": 1,
        "colsample_bytree": 0.8,
        "reg_lambda": 1.0,
        "random_state": 7,
        "n_jobs": 2,
        "verbose": -1,
    }  # fmt: skip  (jalur.risk.model.PARAMS; snapml's venv has no jalur)
    x_train, y_train = _gfp_accounts(train_path)
    x_test, y_test = _gfp_accounts(test_path)
    oof = np.zeros(len(y_train))
    for fit, held in StratifiedKFold(5, shuffle=True, random_state=7).split(x_train, y_train):
        oof[held] = (
            lgb.LGBMClassifier(**params)
            .fit(x_train[fit], y_train[fit])
            .predict_proba(x_train[held])[:, 1]
        )
    p, r, cuts = precision_recall_curve(y_train, oof)
    threshold = float(cuts[int(np.argmax((2 * p * r / np.maximum(p + r, 1e-12))[:-1]))])
    score = lgb.LGBMClassifier(**params).fit(x_train, y_train).predict_proba(x_test)[:, 1]
    flag = score >= threshold
    tp = float((flag & (y_test == 1)).sum())
    precision = tp / flag.sum() if flag.sum() else 0.0
    recall = tp / y_test.sum()
    top = np.argsort(-score, kind="stable")[: int(y_test.sum())]
    result = {
        "roc_auc": round(float(roc_auc_score(y_test, score)), 4),
        "average_precision": round(float(average_precision_score(y_test, score)), 4),
        "precision": round(precision, 4),
        "recall": round(float(recall), 4),
        "f1": round(2 * precision * recall / (precision + recall) if tp else 0.0, 4),
        "precision_at_k": round(float(y_test[top].mean()), 4),
        "threshold": round(threshold, 4),
    }
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")


def _gfp_accounts(path: str) -> tuple[np.ndarray, np.ndarray]:
    """GFP's per-payment features with IBM's default windows (all patterns on), pooled per
    account: mean and max over the payments it sent, and over those it received. Computed
    once per set (cached beside the edge list): a set is in two pairs."""
    cached = Path(path).with_suffix(".pooled.npz")
    if cached.exists():
        found = np.load(cached)
        return found["x"], found["y"]
    x, y = _gfp_pool(path)
    np.savez(cached, x=x, y=y)
    return x, y


def _gfp_pool(path: str) -> tuple[np.ndarray, np.ndarray]:
    from snapml import GraphFeaturePreprocessor

    data = np.load(path)
    edges, y = data["edges"], data["y"]
    edges = edges[np.argsort(edges[:, 3], kind="stable")]
    gfp = GraphFeaturePreprocessor()
    settings = gfp.get_params()
    settings.update({"num_threads": 2, "degree": True, "scatter-gather": True, "temp-cycle": True,
                     "lc-cycle": True, "vertex_stats_cols": [4]})  # fmt: skip
    gfp.set_params(settings)
    out = gfp.fit_transform(edges)[:, 4:]  # the input columns come back first
    pooled = np.zeros((len(y), 4 * out.shape[1]))
    for side, column in ((0, 1), (1, 2)):
        who = edges[:, column].astype(np.int64)
        counts = np.bincount(who, minlength=len(y)).astype(float)
        for j in range(out.shape[1]):
            sums = np.bincount(who, weights=out[:, j], minlength=len(y))
            pooled[:, side * 2 * out.shape[1] + j] = sums / np.maximum(counts, 1)
            high = np.full(len(y), -np.inf)
            np.maximum.at(high, who, out[:, j])
            pooled[:, (side * 2 + 1) * out.shape[1] + j] = np.where(np.isfinite(high), high, 0)
    return pooled, y


def gfp_line(gfp_python: str, train: Path, test: Path) -> dict[str, float] | str:
    out = train.with_suffix(".gfp.json")
    done = subprocess.run(
        [gfp_python, __file__, "--gfp-worker", str(train), str(test), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return f"GFP failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
    result: dict[str, float] = json.loads(out.read_text(encoding="utf-8"))
    return result


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--gfp-python", default="/tmp/gfpvenv/bin/python")
    parser.add_argument("--generator-size", type=int, default=200_000)
    parser.add_argument("--scale", type=int, help="Only time features + scoring at this size.")
    parser.add_argument("--scale-parquet", type=Path, help="…on these generated payments.")
    parser.add_argument(
        "--only",
        choices=("amlsim", "generator", "shapes"),
        help="Only these labelled sets (faster); shapes: the leave-shape-out check.",
    )
    parser.add_argument("--gfp-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gfp_worker:
        gfp_worker(*args.gfp_worker)
        return
    if args.scale or args.scale_parquet:
        print(json.dumps(scale_run(args.scale or 0, args.scale_parquet), indent=2))
        return
    report = shapes(args) if args.only == "shapes" else evaluation(args)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = RESULTS if not args.only else RESULTS.with_name(f"risk-{args.only}.json")
    results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)


def evaluation(args: argparse.Namespace) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-risk-"))
    sets: dict[str, tuple[Any, dict[str, int]]] = {}
    amlsim = args.data / "monitoring" / "amlsim"
    for name in AMLSIM if args.only != "generator" else ():
        if (amlsim / name).is_dir():
            sets[name] = amlsim_set(amlsim / name)
    for seed in GENERATOR_SEEDS if args.only != "amlsim" else ():
        sets[f"generator-seed{seed}"] = generator_set(seed, args.generator_size, scratch)
    report: dict[str, Any] = {"sets": {}, "pairs": [], "gfp_python": args.gfp_python}
    built: dict[str, tuple[Any, dict[str, int]]] = {}
    for name, (payments, labels) in sets.items():
        features, seconds = features_of(payments)
        built[name] = (features, labels)
        edges_file(payments, labels, scratch / f"{name}.npz")
        report["sets"][name] = {
            "payments": payments.num_rows, "accounts": len(labels),
            "positives": sum(labels.values()), **seconds,
            "scorecard": scorecard_line(features, labels),
        }  # fmt: skip
    names = list(sets)
    pairs = [(names[i], names[i ^ 1]) for i in range(len(names))]
    for train_name, test_name in pairs:
        line = {"train": train_name, "test": test_name,
                "model": model_line(built[train_name], built[test_name])}  # fmt: skip
        if Path(args.gfp_python).exists():
            line["gfp_lightgbm"] = gfp_line(
                args.gfp_python, scratch / f"{train_name}.npz", scratch / f"{test_name}.npz"
            )
        else:
            line["gfp_lightgbm"] = f"not run: {args.gfp_python} not found (snapml not installed)"
        report["pairs"].append(line)
    return report


def shapes(args: argparse.Namespace) -> dict[str, Any]:
    """The leave-shape-out check: seed 42 trains on some kinds, seed 7 tests on the others."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-risk-shapes-"))
    (train_payments, train_all), (test_payments, test_all) = (
        generator_set(seed, args.generator_size, scratch) for seed in GENERATOR_SEEDS
    )
    train_features, _ = features_of(train_payments)
    test_features, _ = features_of(test_payments)
    train_kinds, test_kinds = (planted_kinds(seed, scratch) for seed in GENERATOR_SEEDS)
    report: dict[str, Any] = {"sets": {}, "pairs": []}
    for split, (trained, tested) in SHAPE_SPLITS.items():
        train_labels = shape_labels(train_all, train_kinds, trained)
        test_labels = shape_labels(test_all, test_kinds, tested)
        line = model_line(
            (_only(train_features, train_labels), train_labels),
            (_only(test_features, test_labels), test_labels),
        )
        report["pairs"].append({
            "train": f"seed42 {'+'.join(sorted(trained))}",
            "test": f"seed7 {'+'.join(sorted(tested))}", "split": split,
            "train_positives": sum(train_labels.values()),
            "test_positives": sum(test_labels.values()), "model": line,
        })  # fmt: skip
    return report


def _only(features: Any, labels: dict[str, int]) -> Any:
    """The feature table restricted to the labelled accounts (the others left out)."""
    from jalur.risk import FeatureTable

    rows = [i for i, a in enumerate(features.accounts) if a in labels]
    return FeatureTable([features.accounts[i] for i in rows], features.names, features.values[rows])


def print_table(report: dict[str, Any]) -> None:
    names = ("AUC", "AP", "P", "R", "F1", "P@K")
    print(f"{'train':<20} {'test':<20} {'method':<14} " + " ".join(f"{n:>6}" for n in names))
    for name, s in report["sets"].items():
        _row(name, name, "scorecard", s["scorecard"])
    for pair in report["pairs"]:
        for method in ("model", "gfp_lightgbm"):
            if method in pair:
                _row(pair["train"], pair["test"], method, pair[method])
        if "split" in pair:
            print(f"  {pair['split']}: {pair['train_positives']} training positives, "
                  f"{pair['test_positives']} test positives")  # fmt: skip
    for name, s in report["sets"].items():
        print(f"{name}: {s['payments']} payments, {s['accounts']} accounts, "
              f"{s['positives']} positives; typologies {s['typologies_s']} s, "
              f"features {s['features_s']} s")  # fmt: skip


def _row(train: str, test: str, method: str, m: dict[str, float] | str) -> None:
    if isinstance(m, str):
        print(f"{train:<20} {test:<20} {method:<14} {m}")
        return
    cells = " ".join(
        f"{m[k]:>6.4f}"  # 4 places: a floor of 0.80 must not read 0.7997 as met
        for k in ("roc_auc", "average_precision", "precision", "recall", "f1", "precision_at_k")
    )
    print(f"{train:<20} {test:<20} {method:<14} {cells}")


def scale_run(size: int, parquet: Path | None = None) -> dict[str, Any]:
    """Generate `size` payments (or take `parquet`), then in a fresh process: load,
    typologies, features, score."""
    if parquet is not None:
        return _scale_worker(parquet)
    scratch = Path(tempfile.mkdtemp(prefix="bench-risk-scale-"))
    subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from jalur.transactions.generate import GeneratorConfig, generate; "
         f"generate(GeneratorConfig(transactions={size}, seed=42), Path({str(scratch)!r}))"],
        check=True,
    )  # fmt: skip
    return _scale_worker(scratch / "transactions.parquet")


def _scale_worker(parquet: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _SCALE_WORKER, str(parquet)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])  # libraries chat
    return result


#: Runs in a fresh process so its peak memory is the work's own (ru_maxrss, KiB on Linux).
_SCALE_WORKER = """
import json, os, resource, sys, time
import pyarrow.parquet as pq
from jalur.monitoring import detect, load_params
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.monitoring.seeds import HITS_SCHEMA, Seeds
from jalur.risk import RiskContext, account_features, alerts_table, score_card
from jalur.store import Store
load_before = os.getloadavg()
store = Store(":memory:")
t = time.perf_counter()
store.con.execute("CREATE TABLE transactions AS SELECT * FROM read_parquet(?)", [sys.argv[1]])
seconds, cpu = {"load_payments": time.perf_counter() - t}, {}
engine = DuckDBEngine(store)
def timed(stage, work):
    t, c = time.perf_counter(), time.process_time()
    done = work()
    seconds[stage], cpu[stage] = time.perf_counter() - t, time.process_time() - c
    return done
seeds = Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())
report = timed("typologies", lambda: detect(engine, load_params(), seeds))
alerts = report.alerts
rows = [(acc, a.typology, "subject" if acc == a.account else "involved", a.score)
        for a in alerts for acc in a.accounts]
features = timed("features",
                 lambda: account_features(engine, RiskContext(alerts=alerts_table(rows))))
card = timed("scorecard", lambda: score_card(features))
from pathlib import Path
from jalur.risk import Labels, score_accounts, train
folder = Path(sys.argv[1]).parent
planted = {a for p in pq.read_table(folder / "patterns.parquet").to_pylist() for a in p["accounts"]}
sample = features.accounts[::10]  # a tenth of the accounts, labelled from the planted patterns
model = train(features, Labels("bench", {a: int(a in planted) for a in sample}), payments=0)
scored = timed("model_scoring", lambda: score_accounts(model, features))
n = store.con.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
floor = seconds["typologies"] + seconds["features"] + seconds["scorecard"]
print(json.dumps({"payments": n, "accounts": len(features.accounts), "alerts": len(alerts),
                  "seconds": {k: round(v, 1) for k, v in seconds.items()},
                  "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
                  "typology_seconds": report.seconds,
                  "typologies_features_scoring_s": round(floor, 1),
                  "features_and_scoring_s": round(seconds["features"] + seconds["scorecard"], 1),
                  "features_and_model_scoring_s": round(seconds["features"]
                                                        + seconds["model_scoring"], 1),
                  "peak_rss_gib": round(peak, 2),
                  "load_average_before_after": [round(load_before[0], 2),
                                                round(os.getloadavg()[0], 2)]}))
"""


if __name__ == "__main__":
    main()
