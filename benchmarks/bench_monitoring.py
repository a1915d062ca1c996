"""Monitoring benchmark: a full pass over generated payments on DuckDB and Spark, detection
quality against the generator's injected patterns, and IBM's Graph Feature Preprocessor
(snapml) computing comparable graph features on the same payments.

    .venv/bin/python benchmarks/bench_monitoring.py [--transactions 5000000] [--seed 7]
        [--engines duckdb,spark] [--no-gfp] [--workspace DIR] [--typologies a,b]

`--workspace DIR` reuses a folder prepared earlier by `prepare` (bench.duckdb, hits.parquet,
data/): it is copied to a temporary folder first (a pass writes its alerts into the store), so
runs are repeatable without generating the payments again.

Each engine runs in its own process so its peak memory is its own (ru_maxrss of the process;
for Spark, the Python driver plus the JVM it started). Prints a table, writes
benchmarks/results/monitoring.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jalur.model import TRANSACTION_SCHEMA
from jalur.monitoring import flag_accounts, load_params, monitor, open_engine
from jalur.monitoring.engines.params import quoted
from jalur.monitoring.seeds import HITS_SCHEMA
from jalur.store import Store
from jalur.transactions.generate import GeneratorConfig, generate

RESULTS = Path(__file__).resolve().parent / "results" / "monitoring.json"

#: Which alert typologies answer which injected pattern type.
MATCHING = {
    "fan_in": {"fan_in"},
    "fan_out": {"fan_out"},
    "cycle": {"cycle"},
    "scatter_gather": {"scatter_gather"},
    "gather_scatter": {"gather_scatter"},
    "bipartite": {"bipartite"},
    "stack": {"stack", "bipartite"},
    "random": {"pass_through", "fan_out", "fan_in"},
    "drug_to_terror": {"drug_exposure", "terror_exposure", "listed_counterparty"},
    "charity_structuring": {"structuring", "fan_in"},
    "cash_mtb": {"structuring", "pass_through", "corridor", "cash_funnel"},
}


def prepare(folder: Path, transactions: int, seed: int) -> dict[str, Any]:
    """Generate the payments and a workspace store holding them, flags and simulated hits."""
    began = time.perf_counter()
    manifest = generate(GeneratorConfig(transactions=transactions, seed=seed), folder / "data")
    with Store(folder / "bench.duckdb") as store:
        columns = ", ".join(quoted(name, "duckdb") for name in TRANSACTION_SCHEMA.names)
        store.execute(
            f"CREATE TABLE transactions AS SELECT {columns} FROM read_parquet(?)",
            [str(folder / "data" / "transactions.parquet")],
        )
        flag_accounts(
            store, folder / "data" / "drug_investigation_accounts.csv", "drug", "benchmark"
        )
    pq.write_table(simulated_hits(folder / "data" / "accounts.parquet"), folder / "hits.parquet")
    return {**manifest, "prepare_seconds": round(time.perf_counter() - began, 1)}


def reuse(workspace: Path, folder: Path) -> dict[str, Any]:
    """Copy a prepared workspace into `folder` (the original stays untouched)."""
    began = time.perf_counter()
    for name in ("bench.duckdb", "hits.parquet"):
        shutil.copy2(workspace / name, folder / name)
    shutil.copytree(workspace / "data", folder / "data")
    manifest_file = folder / "data" / "manifest.json"
    manifest = json.loads(manifest_file.read_text("utf-8")) if manifest_file.exists() else {}
    return {
        **manifest,
        "reused": str(workspace),
        "copy_seconds": round(time.perf_counter() - began, 1),
    }


def simulated_hits(accounts_file: Path) -> pa.Table:
    """Screening's output, simulated from the generator's truth: holders made to resemble a
    listed entity (screening's own accuracy is measured by its own benchmark)."""
    risk = {"terror_linked": "terror", "drug_dealer": "drug", "front_charity": "terror"}
    rows = [
        {
            "account": a["account"],
            "party_name": a["holder_name"],
            "entity_id": a["watchlist_entity_id"],
            "list_name": "generated",
            "source_id": a["watchlist_entity_id"],
            "risk_class": risk[a["role"]],
            "score": 0.9,
            "matched_alias": a["holder_name"],
        }
        for a in pq.read_table(accounts_file).to_pylist()
        if a["watchlist_entity_id"] and a["role"] in risk
    ]
    return pa.Table.from_pylist(rows, schema=HITS_SCHEMA)


def run_pass(folder: str, engine_kind: str, queue: Any, typologies: list[str] | None) -> None:
    """Child process: one full monitoring pass; reports timings, alerts and peak memory."""
    began = time.perf_counter()
    hits = pq.read_table(Path(folder) / "hits.parquet")
    with Store(Path(folder) / "bench.duckdb") as store:
        spark_conf = {"master": "local[2]", "conf": {"spark.driver.memory": "6g"}}
        engine = open_engine(engine_kind, store, spark_conf)
        opened = time.perf_counter() - began
        clock = time.perf_counter()
        report = monitor(store, engine, load_params(), hits=hits, typologies=typologies)
        seconds = time.perf_counter() - clock
        engine.close()
        if engine_kind == "spark":
            engine.session.stop()  # type: ignore[attr-defined]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    queue.put(
        {
            "engine": engine_kind,
            "seconds": round(seconds, 1),
            "startup_seconds": round(opened, 1),
            "peak_gb": round(own + children, 2),
            "payments": report.payments,
            "alerts": len(report.alerts),
            "by_typology": report.by_typology(),
            "stage_seconds": report.seconds,
            "alerted": sorted({a for alert in report.alerts for a in alert.accounts}),
            "subjects": sorted({alert.account for alert in report.alerts}),
            "typology_accounts": {
                t: sorted({a for x in report.alerts if x.typology == t for a in x.accounts})
                for t in report.by_typology()
            },
        }
    )


def in_child(folder: Path, engine: str, typologies: list[str] | None = None) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=run_pass, args=(str(folder), engine, queue, typologies))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def quality(folder: Path, result: dict[str, Any]) -> dict[str, Any]:
    """Recall per injected pattern type (found: at least half its accounts alerted) and the
    share of alerted accounts that belong to some pattern."""
    patterns = pq.read_table(folder / "data" / "patterns.parquet").to_pylist()
    alerted = set(result["alerted"])
    by_typology = {t: set(v) for t, v in result["typology_accounts"].items()}
    involved = {a for p in patterns for a in p["accounts"]}
    per_type: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pattern in patterns:
        accounts = set(pattern["accounts"])
        counts = per_type[pattern["type"]]
        counts["patterns"] += 1
        counts["found_any"] += len(accounts & alerted) * 2 >= len(accounts)
        matching = set().union(*(by_typology.get(t, set()) for t in MATCHING[pattern["type"]]))
        counts["found_matching"] += len(accounts & matching) * 2 >= len(accounts)
    recall = {
        t: {
            "patterns": c["patterns"],
            "recall_any": round(c["found_any"] / c["patterns"], 3),
            "recall_matching_typology": round(c["found_matching"] / c["patterns"], 3),
        }
        for t, c in sorted(per_type.items())
    }
    subjects = set(result["subjects"])
    return {
        "recall": recall,
        "alerted_accounts": len(alerted),
        "precision_alerted_accounts": round(len(alerted & involved) / max(1, len(alerted)), 3),
        "subject_accounts": len(subjects),
        "precision_subject_accounts": round(len(subjects & involved) / max(1, len(subjects)), 3),
    }


#: GFP's temporal-cycle search took 157 s for 200,000 payments here, so GFP runs twice: fan,
#: degree and scatter-gather over the first `limit` payments (in time order; over all 5M it
#: had not finished after 20 minutes and 11.7 GB), and with temporal cycles too over the first
#: GFP_CYCLE_SAMPLE; throughput is reported per edge for each.
GFP_CYCLE_SAMPLE = 200_000
GFP_SAMPLE = 1_000_000


def gfp_throughput(folder: Path, limit: int = GFP_SAMPLE) -> list[dict[str, Any]]:
    """snapml's Graph Feature Preprocessor over the same payments; edges per second."""
    try:
        import numpy as np
        from snapml import GraphFeaturePreprocessor
    except ImportError as exc:
        return [{"available": False, "why": f"snapml not importable: {exc}"}]
    table = pq.read_table(
        folder / "data" / "transactions.parquet",
        columns=["orig_account", "bene_account", "timestamp"],
    ).filter(pa.compute.is_valid(pa.compute.field("orig_account")))
    table = table.filter(pa.compute.is_valid(table["bene_account"]))
    both = pa.chunked_array(table["orig_account"].chunks + table["bene_account"].chunks)
    codes = pa.compute.dictionary_encode(both).combine_chunks().indices.to_numpy()
    n = table.num_rows
    seconds = pa.compute.cast(table["timestamp"], pa.int64()).to_numpy() // 1_000_000
    edges = np.column_stack([np.arange(n), codes[:n], codes[n:], seconds - seconds.min()]).astype(
        np.float64
    )
    edges = edges[np.argsort(edges[:, 3], kind="stable")]
    runs = []
    for size, cycles in ((min(n, limit), False), (min(n, GFP_CYCLE_SAMPLE), True)):
        gfp = GraphFeaturePreprocessor()
        gfp.set_params(
            {
                "num_threads": 2,
                "fan": True,
                "fan_tw": 7 * 86400,
                "degree": True,
                "degree_tw": 7 * 86400,
                "scatter-gather": True,
                "scatter-gather_tw": 10 * 86400,
                "temp-cycle": cycles,
                "temp-cycle_tw": 30 * 86400,
                "vertex_stats": False,
            }
        )
        clock = time.perf_counter()
        features = gfp.fit_transform(edges[:size])
        took = time.perf_counter() - clock
        what = "fan/degree 7 d, scatter-gather 10 d"
        runs.append(
            {
                "available": True,
                "edges": size,
                "seconds": round(took, 1),
                "edges_per_second": round(size / took),
                "features_per_edge": int(features.shape[1] - edges.shape[1]),
                "settings": what + (", temporal cycles 30 d" if cycles else "") + ", 2 threads",
            }
        )
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--no-gfp", action="store_true")
    parser.add_argument("--gfp-payments", type=int, default=GFP_SAMPLE)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--typologies", help="comma-separated subset to run (default: all; recall then partial)"
    )
    parser.add_argument(
        "--workspace", type=Path, help="reuse a prepared folder (copied) instead of generating"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jalur-bench-mon-") as tmp:
        folder = Path(tmp)
        if args.workspace:
            data = reuse(args.workspace, folder)
            args.transactions = int(data.get("transactions", args.transactions))
            args.seed = int(data.get("seed", args.seed))
        else:
            data = prepare(folder, args.transactions, args.seed)
        runs = []
        for kind in (k for k in args.engines.split(",") if k):
            chosen = [t for t in (args.typologies or "").split(",") if t] or None
            runs.append(in_child(folder, kind, chosen))
            done = runs[-1]
            print(f"{kind}: pass {done['seconds']} s, peak {done['peak_gb']} GB", flush=True)
        scored = quality(folder, runs[0]) if runs else {}
        gfp = [{"skipped": True}] if args.no_gfp else gfp_throughput(folder, args.gfp_payments)
    for run in runs:
        for key in ("alerted", "subjects", "typology_accounts"):
            run.pop(key)
        run["payments_per_second"] = round(run["payments"] / max(run["seconds"], 1e-9))
    report = {
        "transactions": args.transactions,
        "seed": args.seed,
        "machine": f"{platform.machine()}, {mp.cpu_count()} cores (shared with other work)",
        "generated": data,
        "runs": runs,
        "quality": scored,
        "graph_feature_preprocessor": gfp,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)


def print_table(report: dict[str, Any]) -> None:
    out = sys.stdout
    out.write(
        f"\nmonitoring, {report['transactions']:,} generated payments (seed {report['seed']})\n"
    )
    out.write(f"{'engine':<8} {'pass s':>8} {'peak GB':>8} {'payments/s':>11} {'alerts':>7}\n")
    for run in report["runs"]:
        out.write(
            f"{run['engine']:<8} {run['seconds']:>8} {run['peak_gb']:>8} "
            f"{run['payments_per_second']:>11,} {run['alerts']:>7}\n"
        )
    for run in report["runs"]:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stage_seconds"].items())
        out.write(f"{run['engine']} seconds by stage: {stages}\n")
    for gfp in report["graph_feature_preprocessor"]:
        if gfp.get("available"):
            out.write(
                f"{'snapml':<8} {gfp['seconds']:>8} {'':>8} {gfp['edges_per_second']:>11,}"
                f"   (GFP features only, {gfp['edges']:,} payments: {gfp['settings']})\n"
            )
        else:
            out.write(f"snapml GFP: {gfp}\n")
    quality_ = report["quality"]
    if quality_:
        out.write(f"\n{'pattern type':<20} {'n':>4} {'recall any':>11} {'recall match':>13}\n")
        for kind, r in quality_["recall"].items():
            out.write(
                f"{kind:<20} {r['patterns']:>4} {r['recall_any']:>11} "
                f"{r['recall_matching_typology']:>13}\n"
            )
        out.write(
            f"precision: alerted accounts {quality_['precision_alerted_accounts']} "
            f"({quality_['alerted_accounts']}), alert subjects "
            f"{quality_['precision_subject_accounts']} ({quality_['subject_accounts']})\n"
        )


if __name__ == "__main__":
    main()
