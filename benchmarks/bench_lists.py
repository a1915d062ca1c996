"""Watchlist loading benchmark: every real snapshot in ../shared/data/lists into one fresh store.

Floor (issue 2): all of them together in under 30 s and 2 GB on the 2-core machine.
The loads run in a child process so its peak resident memory can be read exactly from
`resource.getrusage(RUSAGE_CHILDREN)` once it exits; the child also reports its resident
memory after imports (the baseline). No tracemalloc: it would slow the timed loads severalfold.
Prints a table and writes benchmarks/results/lists.json.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
RESULT = ROOT / "benchmarks" / "results" / "lists.json"
SNAPSHOTS = [
    "un/consolidated_2020-11-30.xml",
    "un/consolidated_2025-04-19.xml",
    "un/consolidated_2026-02-27.xml",
    "ofac/sdn_2021",
    "ofac/cons_2025",
    "ofac/cons_2025-03-28.xml",
]
FLOOR_SECONDS = 30.0
FLOOR_BYTES = 2 * 1024**3


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(database: str) -> None:
    """Load every snapshot into a fresh store; print one JSON document of measurements."""
    from jalur.lists import load_list
    from jalur.store import Store

    baseline_kib = _rss_kib()
    rows = []
    started = time.perf_counter()
    with Store(database) as store:
        for name in SNAPSHOTS:
            begin = time.perf_counter()
            report = load_list(store, LISTS / name)
            rows.append(
                {
                    "file": name,
                    "list": report.list,
                    "format": report.format,
                    "entries": report.entities,
                    "added": report.added,
                    "removed": report.removed,
                    "changed": report.changed,
                    "seconds": round(time.perf_counter() - begin, 3),
                }
            )
        entities = store.execute("SELECT count(*) FROM list_entities").fetchone()
    total = time.perf_counter() - started
    json.dump(
        {
            "files": rows,
            "load_seconds": round(total, 3),
            "stored_entities": entities[0] if entities else 0,
            "baseline_rss_mib": round(baseline_kib / 1024, 1),
        },
        sys.stdout,
    )


def main() -> int:
    if not LISTS.is_dir():
        print(f"skipped: {LISTS} is not here (the benchmark needs the real snapshots)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.duckdb")
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--child", database],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - began
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return done.returncode
    result = json.loads(done.stdout)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    result["process_wall_seconds"] = round(wall, 3)
    result["peak_rss_mib"] = round(peak_kib / 1024, 1)
    result["floor"] = {"seconds": FLOOR_SECONDS, "bytes": FLOOR_BYTES}
    result["within_floor"] = wall < FLOOR_SECONDS and peak_kib * 1024 < FLOOR_BYTES
    _print(result)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["within_floor"] else 1


def _print(result: dict[str, object]) -> None:
    rows = result["files"]
    assert isinstance(rows, list)
    print(
        f"{'file':34} {'list':10} {'format':9} {'entries':>8} {'+':>6} {'-':>5} {'~':>5} {'s':>7}"
    )
    for row in rows:
        print(
            f"{row['file']:34} {row['list']:10} {row['format']:9} {row['entries']:>8} "
            f"{row['added']:>6} {row['removed']:>5} {row['changed']:>5} {row['seconds']:>7.2f}"
        )
    print(
        f"total load {result['load_seconds']:.2f} s (process incl. imports "
        f"{result['process_wall_seconds']:.2f} s); {result['stored_entities']} stored entities; "
        f"peak RSS {result['peak_rss_mib']} MiB (baseline after imports "
        f"{result['baseline_rss_mib']} MiB)"
        f"; floor 30 s / 2 GiB: {'met' if result['within_floor'] else 'NOT met'}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.exit(main())
