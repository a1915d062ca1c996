"""Transactions benchmark: generator time for 5M payments, and loading 5M from CSV and Parquet.

Each measured step runs in its own child process; wall time is the child's, peak memory is the
child's maximum resident set size (os.wait4), so the numbers include interpreter start and the
final DuckDB checkpoint. Floors from issue 4: 5M rows load in under 60 s and under 4 GB.
Usage: .venv/bin/python benchmarks/bench_transactions.py [--rows N]
Timings on a shared machine are inflated by whatever else runs there; the load average at the
start is recorded next to the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "transactions.json"
FLOOR_SECONDS, FLOOR_BYTES = 60.0, 4 * 1024**3

GENERATE = """
import sys
from pathlib import Path
from jalur.transactions import GeneratorConfig, generate
generate(GeneratorConfig(transactions=int(sys.argv[1]), seed=1), Path(sys.argv[2]))
"""
TO_CSV = """
import sys
import pyarrow.csv as pv, pyarrow.parquet as pq
with pv.CSVWriter(sys.argv[2], pq.ParquetFile(sys.argv[1]).schema_arrow) as writer:
    for batch in pq.ParquetFile(sys.argv[1]).iter_batches(200_000):
        writer.write_batch(batch)
"""
LOAD = """
import json, sys
from pathlib import Path
from jalur.store import Store
from jalur.transactions import load_transactions
with Store(sys.argv[1]) as store:
    counts = load_transactions(store, Path(sys.argv[2]), sys.argv[3])
print(json.dumps(counts.as_dict()))
"""


def run_child(code: str, *args: str) -> tuple[float, float, int, str]:
    """(wall s, CPU s, peak RSS bytes, stdout) of `python -c code args` in a child process.

    CPU seconds (user + system, all threads) do not grow when other work shares the machine;
    wall seconds do."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - began
    if child.returncode:
        raise SystemExit(f"child failed ({child.returncode}): {code.strip().splitlines()[-1]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    rows = parser.parse_args().rows
    load_average = os.getloadavg()
    results: dict[str, object] = {
        "rows": rows,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in load_average],
        },
        "steps": {},
    }
    steps: dict[str, dict[str, object]] = results["steps"]  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="jalur-bench-") as folder:
        work = Path(folder)
        seconds, cpu, peak, _ = run_child(GENERATE, str(rows), str(work / "gen"))
        steps["generate"] = {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "peak_rss_mb": peak // 2**20,
        }
        parquet = work / "gen" / "transactions.parquet"
        csv = work / "transactions.csv"
        run_child(TO_CSV, str(parquet), str(csv))
        for fmt, path in (("csv", csv), ("parquet", parquet)):
            seconds, cpu, peak, output = run_child(
                LOAD, str(work / f"{fmt}.duckdb"), str(path), fmt
            )
            counts = json.loads(output.strip().splitlines()[-1])
            assert counts["accepted"] == rows, counts
            steps[f"load_{fmt}"] = {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "rows_per_second": round(rows / seconds),
                "peak_rss_mb": peak // 2**20,
                "file_mb": path.stat().st_size // 2**20,
                "meets_floor": (seconds < FLOOR_SECONDS and peak < FLOOR_BYTES)
                if rows >= 5_000_000
                else None,
                "counts": counts,
            }
    print(
        f"transactions benchmark, {rows:,} rows, {os.cpu_count()} CPUs, "
        f"load average at start {load_average[0]:.1f}"
    )
    print(
        f"{'step':<14}{'seconds':>9}{'CPU s':>8}{'rows/s':>10}{'peak MB':>9}  floor (<60 s, <4 GB)"
    )
    for name, step in steps.items():
        rate = f"{step['rows_per_second']:,}" if "rows_per_second" in step else "-"
        floor = {True: "met", False: "MISSED"}.get(step.get("meets_floor"), "-")  # type: ignore[arg-type]
        print(
            f"{name:<14}{step['seconds']:>9}{step['cpu_seconds']:>8}{rate:>10}"
            f"{step['peak_rss_mb']:>9}  {floor}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
