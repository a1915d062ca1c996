"""Snapshot every alert a monitoring pass raises, to show a speed-up changed no result.

    .venv/bin/python benchmarks/compare_monitoring.py snapshot OUT.json [--workspace DIR]
        [--typologies a,b] [--skip-shared]
    .venv/bin/python benchmarks/compare_monitoring.py diff BEFORE.json AFTER.json

`snapshot` runs one DuckDB pass (defaults) over: IBM's AMLSim samples and IBM AMLworld's
HI-Small attempts (as `bench_amlsim.py` and `bench_ibm_shapes.py` load them, the latter also
with this work's additions switched off), and, with `--workspace`, a copy of a folder prepared
by `bench_monitoring.py` (generated payments). Each alert is kept whole: id, typology, subject,
accounts, payments, score and facts (floats compared to a relative 1e-8), with the stage timings
and peak memory beside them. `diff` compares two snapshots alert by alert and exits 1 on any
difference; timings are printed side by side, not compared.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "monitoring"))
sys.path.insert(0, str(HERE))

from amlsim_eval import amlsim_payments  # noqa: E402
from bench_ibm_shapes import OFF, PATTERNS  # noqa: E402
from ibm_eval import load_attempts  # noqa: E402
from monitoring_builders import load, no_seeds  # noqa: E402

from jalur.monitoring import Alert, detect, load_params  # noqa: E402
from jalur.monitoring.engines.duckdb import DuckDBEngine  # noqa: E402
from jalur.monitoring.seeds import load_seeds  # noqa: E402
from jalur.store import Store  # noqa: E402

AMLSIM = HERE.parent.parent / "shared" / "data" / "monitoring" / "amlsim"
SAMPLES = ("20K_fanin200", "20K_cycle200")


def _plain(value: Any) -> Any:
    """Facts as JSON (floats whole: `same` compares them)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def same(old: Any, new: Any) -> bool:
    """Equal, floats to a relative 1e-8: DuckDB's parallel SUM adds in varying order, so a
    total may differ in its last bits from one run of the same code to the next."""
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-8, abs_tol=1e-12)
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def _alerts(alerts: list[Alert]) -> dict[str, Any]:
    return {
        a.alert_id: {
            "typology": a.typology,
            "account": a.account,
            "accounts": list(a.accounts),
            "tx_ids": list(a.tx_ids),
            "score": a.score,
            "facts": _plain(a.facts),
        }
        for a in sorted(alerts, key=lambda a: a.alert_id)
    }


def _pass(
    store: Store,
    overrides: dict[str, Any] | None = None,
    seeds: Any = None,
    typologies: list[str] | None = None,
) -> dict[str, Any]:
    engine = DuckDBEngine(store)
    clock = time.perf_counter()
    report = detect(engine, load_params(overrides or {}), seeds or no_seeds(), typologies)
    seconds = time.perf_counter() - clock
    engine.close()
    return {
        "seconds": round(seconds, 2),
        "stage_seconds": report.seconds,
        "payments": report.payments,
        "alerts": _alerts(report.alerts),
    }


def shared_runs() -> dict[str, Any]:
    runs: dict[str, Any] = {}
    for name in SAMPLES:
        if (AMLSIM / name).is_dir():
            with Store(":memory:") as store:
                load(store, amlsim_payments(AMLSIM / name))
                runs[f"amlsim/{name}"] = _pass(store)
    if PATTERNS.is_file():
        for label, overrides in (("defaults", None), ("additions off", OFF)):
            with tempfile.TemporaryDirectory() as tmp, Store(":memory:") as store:
                load_attempts(store, PATTERNS, Path(tmp))
                runs[f"ibm_shapes/{label}"] = _pass(store, overrides)
    return runs


def workspace_run(workspace: Path, typologies: list[str] | None) -> dict[str, Any]:
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="jalur-cmp-") as tmp:
        shutil.copy2(workspace / "bench.duckdb", Path(tmp) / "bench.duckdb")
        hits = pq.read_table(workspace / "hits.parquet")
        with Store(Path(tmp) / "bench.duckdb") as store:
            return _pass(store, seeds=load_seeds(store, hits), typologies=typologies)


def snapshot(args: argparse.Namespace) -> None:
    chosen = [t for t in (args.typologies or "").split(",") if t] or None
    runs = {} if args.skip_shared else shared_runs()
    if args.workspace:
        runs[f"generated/{args.workspace.name}"] = workspace_run(args.workspace, chosen)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    args.out.write_text(json.dumps({"peak_gb": round(peak, 2), "runs": runs}, indent=1))
    for name, run in runs.items():
        print(f"{name}: {len(run['alerts'])} alerts, {run['seconds']} s", run["stage_seconds"])
    print(f"peak {peak:.2f} GB")


def diff(args: argparse.Namespace) -> None:
    before = json.loads(args.before.read_text())["runs"]
    after = json.loads(args.after.read_text())["runs"]
    differences = 0
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            print(f"{name}: only in {'after' if name in after else 'before'}")
            differences += 1
            continue
        old, new = before[name]["alerts"], after[name]["alerts"]
        changed = [k for k in set(old) & set(new) if not same(old[k], new[k])]
        gone, came = sorted(set(old) - set(new)), sorted(set(new) - set(old))
        differences += len(changed) + len(gone) + len(came)
        verdict = "identical" if not (changed or gone or came) else "DIFFERENT"
        print(
            f"{name}: {len(old)} vs {len(new)} alerts, {verdict} "
            f"(changed {len(changed)}, gone {len(gone)}, new {len(came)})"
        )
        for key in sorted(changed)[:5]:
            print("  changed", key, old[key]["typology"])
            for field in old[key]:
                if not same(old[key][field], new[key][field]):
                    print(
                        f"    {field}: {str(old[key][field])[:200]} -> {str(new[key][field])[:200]}"
                    )
        for key in (gone + came)[:5]:
            print("  gone" if key in old else "  new", key, (old.get(key) or new[key])["typology"])
        stages = before[name]["stage_seconds"].keys() | after[name]["stage_seconds"].keys()
        for stage in sorted(stages):
            print(
                f"    {stage:<22} {before[name]['stage_seconds'].get(stage, '-'):>8} "
                f"{after[name]['stage_seconds'].get(stage, '-'):>8}"
            )
    sys.exit(1 if differences else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("out", type=Path)
    snap.add_argument("--workspace", type=Path)
    snap.add_argument("--typologies")
    snap.add_argument("--skip-shared", action="store_true")
    cmp_ = sub.add_parser("diff")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    snapshot(args) if args.command == "snapshot" else diff(args)


if __name__ == "__main__":
    main()
