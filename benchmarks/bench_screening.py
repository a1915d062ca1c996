"""Screening speed: index build, 1,000,000 customer names in batch, single-query latency, and
`jalur screen name` from a cold start (a new process on the workspace's stored index).

Run: `.venv/bin/python benchmarks/bench_screening.py [--rows N] [--workers W] [--eval]`;
`--cold-only` measures only the cold start (lists loaded, then `screen name` in new processes).
Lists: every UN / OFAC snapshot in ../shared/data/lists (UN 2026-02-27, OFAC SDN 2021, OFAC
consolidated 2025) loaded through `jalur.lists.load_list` into a temporary workspace; without
../shared/data the benchmark says so and stops. Customers: `screening_names.customer_names`
(generated, with 0.2 % listed aliases carrying a typo). Peak memory is the largest sum of the
resident sizes of this process and its worker processes, sampled every 0.1 s.
The cold start is timed per run (wall clock of the whole command, Python start-up and imports
included) and reported as its floor (fastest) and median, with the import time of `jalur.cli`
alone and the load average (`os.getloadavg`) before and after: on a shared machine the load
moves the numbers by a factor of several. The first run builds and stores the index and is
reported apart.
With `--eval` the quality evaluation (screening_eval.py) runs too and its summary is included.
Prints a table and writes benchmarks/results/screening.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_names import customer_names, customer_rows

from jalur.lists import load_list
from jalur.screening import Query, Screener, screen_file
from jalur.store import Store

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
LISTS = [
    ("un/consolidated_2026-02-27.xml", "un"),
    ("ofac/sdn_2021", "ofac-csv"),
    ("ofac/cons_2025", "ofac-csv"),
]
RESULTS = Path(__file__).resolve().parent / "results" / "screening.json"
SRC = Path(__file__).resolve().parents[1] / "src"
#: A name on the UN list (every word a listed word), one whose words no list holds, and one
#: of unlisted spellings that share rigour name symbols with listed words (Mokhammad ~ Muhammad).
COLD_NAMES = ("Abu Bakar Ba'asyir", "Budi Santosoputra Wicaksono", "Mokhammad Yusupov")
COLD_LABELS = ("listed_name", "unlisted_words", "unlisted_spellings_of_listed_names")
COLD_RUNS = 5


class PeakMemory:
    """Largest summed RSS of this process and its children, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = [os.getpid()] + [p.pid for p in multiprocessing.active_children()]
            self.peak = max(self.peak, sum(_rss(pid) for pid in pids if pid))
            time.sleep(0.1)


def _rss(pid: int) -> int:
    try:
        with Path(f"/proc/{pid}/statm").open(encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def load_lists(store: Store) -> dict[str, Any]:
    loaded = {}
    for relative, fmt in LISTS:
        report = load_list(store, DATA / relative, fmt)
        loaded[report.list] = report.entities
    return loaded


def _timed(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_start(home: Path, runs: int = COLD_RUNS) -> dict[str, Any]:
    """`jalur screen name` in new processes on a workspace whose lists are loaded."""
    command = [sys.executable, "-m", "jalur.cli", "--home", str(home), "screen", "name"]
    result: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    result["first_run_builds_index_s"] = round(_timed([*command, COLD_NAMES[0], "--json"]), 2)
    result["index_file_mb"] = round((home / "screening-index.bin").stat().st_size / 1e6, 1)
    commands = {
        "import_jalur_cli_s": [sys.executable, "-c", "import jalur.cli"],
        **{
            label: [*command, name, "--json"]
            for label, name in zip(COLD_LABELS, COLD_NAMES, strict=True)
        },
    }
    seconds: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):  # interleaved, so that a busy minute weighs on all three alike
        for label, args in commands.items():
            seconds[label].append(_timed(args))
    result["import_jalur_cli_s"] = _floor_median(seconds["import_jalur_cli_s"])
    for label, name in zip(COLD_LABELS, COLD_NAMES, strict=True):
        result[label] = {"name": name, **_floor_median(seconds[label])}
    result["runs"] = runs
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _floor_median(seconds: list[float]) -> dict[str, float]:
    return {"floor_s": round(min(seconds), 2), "median_s": round(statistics.median(seconds), 2)}


def single_queries(screener: Screener, queries: list[str]) -> dict[str, float]:
    """Latency (wall clock) per query, and beside it the processor time the query's thread
    used: on a shared machine the wall clock's tail also counts the turns other processes
    took, the processor time only the query's own work."""
    timings, processor = [], []
    for name in queries:
        start, cpu = time.perf_counter(), time.thread_time()
        screener.screen(Query(name))
        processor.append((time.thread_time() - cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    processor.sort()
    return {
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
        "max_ms": round(timings[-1], 3),
        "cpu_p50_ms": round(statistics.median(processor), 3),
        "cpu_p99_ms": round(processor[int(len(processor) * 0.99) - 1], 3),
    }


def typo_recall(
    screener: Screener, made_from: tuple[str | None, ...], hits: Path
) -> dict[str, Any]:
    """Hits on ordinary customers vs listed aliases with a typo, and the latter's recall.

    A typo row is found when one of its hits is an entity that records the alias it was made
    from; an ordinary customer (no listed alias behind it) with any hit is a false hit.
    """
    recorded: dict[str, set[str]] = {}
    for alias in screener.index.aliases:
        entity = screener.index.entities[alias.entity]
        recorded.setdefault(alias.name.text, set()).add(entity.entity_id)
    found: dict[str, set[str]] = {}
    table = pq.read_table(hits, columns=["id", "entity_id"]).to_pydict()
    for row_id, entity_id in zip(table["id"], table["entity_id"], strict=True):
        found.setdefault(row_id, set()).add(entity_id)
    typos = [(f"c{i}", alias) for i, alias in enumerate(made_from) if alias is not None]
    ordinary = len(made_from) - len(typos)
    hit = sum(1 for row_id, alias in typos if found.get(row_id, set()) & recorded[alias])
    listed_ids = {row_id for row_id, _ in typos}
    false_names = sum(1 for row_id in found if row_id not in listed_ids)
    return {
        "typo_rows": len(typos),
        "typo_recall": round(hit / len(typos), 4) if typos else None,
        "ordinary_rows": ordinary,
        "ordinary_with_hits": false_names,
        "ordinary_hit_rate": round(false_names / ordinary, 5) if ordinary else None,
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--eval", action="store_true", help="run the quality evaluation too")
    parser.add_argument("--cold-only", action="store_true", help="only the cold-start timing")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"screening benchmark skipped: {DATA} not found")
        return {}
    if args.cold_only:
        return cold_only()
    result: dict[str, Any] = {"rows": args.rows, "workers": args.workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "jalur.duckdb")  # the workspace's database: the CLI reads it
        result["lists"] = load_lists(store)
        start = time.perf_counter()
        screener = Screener.from_store(store)
        screener.prepare()
        result["index_build_s"] = round(time.perf_counter() - start, 2)
        result["index_entities"] = screener.index.entity_count
        result["index_aliases"] = screener.index.alias_count
        listed = [a.name.text for a in screener.index.aliases if a.name.parts]
        single = [*customer_names(1500, listed, seed=3, listed_share=0.0), *listed[::40][:500]]
        warm = Screener.from_store(store)  # a fresh, warm index: nothing cached from the batch
        warm.prepare()
        # before precompiling: each query compiles the spelling patterns of the listed
        # Arabic-script words it meets first (a one-shot command's case)
        result["single_query_first_meetings"] = single_queries(warm, single)
        served = Screener.from_store(store)  # as `jalur serve` holds it (api.service.warm)
        served.prepare()
        served.precompile()
        result["single_query"] = single_queries(served, single)
        del warm, served  # the batch's peak memory counts the one index it screens with
        source = Path(tmp) / "customers.parquet"
        names, made_from = zip(*customer_rows(args.rows, listed), strict=True)
        pq.write_table(
            pa.table({"id": [f"c{i}" for i in range(len(names))], "name": list(names)}), source
        )
        del names
        rows = partial(screener.batch_rows, threshold=screener.config.threshold)
        with PeakMemory() as memory:
            start = time.perf_counter()
            report = screen_file(rows, source, Path(tmp) / "hits.parquet", workers=args.workers)
            seconds = time.perf_counter() - start
        result["batch"] = {
            "seconds": round(seconds, 1),
            "rows_per_s": round(report.read / seconds),
            "peak_memory_gb": round(memory.peak / 1e9, 2),
            "threshold": screener.config.threshold,
            **{k: v for k, v in report.as_dict().items() if k != "errors"},
            **typo_recall(screener, made_from, Path(tmp) / "hits.parquet"),
        }
        store.close()
        result["cold_start"] = cold_start(Path(tmp))
    if args.eval:
        from screening_eval import run

        result["quality"] = run(out=RESULTS.parent / "screening_eval.json")
    print_table(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1))
    return result


def cold_only() -> dict[str, Any]:
    """Load the lists into a workspace, then time `screen name` from cold starts."""
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "jalur.duckdb") as store:
            lists = load_lists(store)
        result = {"lists": lists, "cpus": os.cpu_count(), "cold_start": cold_start(Path(tmp))}
    for label, value in _cold_rows(result["cold_start"]):
        print(f"{label:<34}  {value}")
    path = RESULTS.parent / "screening_cold_start.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1))
    return result


def _cold_rows(cold: dict[str, Any]) -> list[tuple[str, str]]:
    def timing(found: dict[str, Any]) -> str:
        return f"{found['floor_s']} s floor / {found['median_s']} s median ({cold['runs']} runs)"

    return [
        ("load average before / after", f"{cold['load_before']} / {cold['load_after']}"),
        ("first screen name (builds index)", f"{cold['first_run_builds_index_s']} s"),
        ("stored index", f"{cold['index_file_mb']} MB"),
        ("import jalur.cli alone", timing(cold["import_jalur_cli_s"])),
        ("cold screen name, listed name", timing(cold["listed_name"])),
        ("cold screen name, unlisted words", timing(cold["unlisted_words"])),
        (
            "cold screen name, unlisted spellings",
            timing(cold["unlisted_spellings_of_listed_names"]),
        ),
    ]


def print_table(result: dict[str, Any]) -> None:
    batch, single = result["batch"], result["single_query"]
    first = result.get("single_query_first_meetings") or single
    rows = [
        ("lists loaded", ", ".join(f"{k} {v}" for k, v in result["lists"].items())),
        ("index", f"{result['index_entities']} entities, {result['index_aliases']} aliases"),
        ("index build", f"{result['index_build_s']} s"),
        ("single query p50 / p99 / max",
         f"{single['p50_ms']} / {single['p99_ms']} / {single['max_ms']} ms "
         f"({single['queries']} queries, warm index as `jalur serve` holds it)"),
        ("single query processor time p50 / p99",
         f"{single.get('cpu_p50_ms')} / {single.get('cpu_p99_ms')} ms (the query's own thread)"),
        ("… before precompiling, p50 / p99 / max",
         f"{first['p50_ms']} / {first['p99_ms']} / {first['max_ms']} ms (each query compiles "
         "the Arabic-script words' patterns it meets first)"),
        (f"batch {result['rows']:,} names, {result['workers']} workers",
         f"{batch['seconds']} s ({batch['rows_per_s']:,} names/s)"),
        ("batch peak memory", f"{batch['peak_memory_gb']} GB"),
        ("batch hits", f"{batch['hits']} hits for {batch['parties_with_hits']} names "
                       f"at threshold {batch['threshold']}"),
        ("ordinary customers with hits",
         f"{batch['ordinary_with_hits']} of {batch['ordinary_rows']} "
         f"({100 * batch['ordinary_hit_rate']:.2f} %)"),
        ("listed aliases with a typo found",
         f"{round(batch['typo_recall'] * batch['typo_rows'])} of {batch['typo_rows']} "
         f"(recall {batch['typo_recall']:.3f})"),
    ]  # fmt: skip
    rows += _cold_rows(result["cold_start"])
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
