"""Screening speed: index build, 1,000,000 customer names in batch, single-query latency.

Run: `.venv/bin/python benchmarks/bench_screening.py [--rows N] [--workers W] [--eval]`.
Lists: every UN / OFAC snapshot in ../shared/data/lists (UN 2026-02-27, OFAC SDN 2021, OFAC
consolidated 2025) loaded through `jalur.lists.load_list` into a temporary workspace; without
../shared/data the benchmark says so and stops. Customers: `screening_names.customer_names`
(generated, with 0.2 % listed aliases carrying a typo). Peak memory is the largest sum of the
resident sizes of this process and its worker processes, sampled every 0.1 s.
With `--eval` the quality evaluation (screening_eval.py) runs too and its summary is included.
Prints a table and writes benchmarks/results/screening.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
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


def single_queries(screener: Screener, queries: list[str]) -> dict[str, float]:
    timings = []
    for name in queries:
        start = time.perf_counter()
        screener.screen(Query(name))
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
        "max_ms": round(timings[-1], 3),
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
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"screening benchmark skipped: {DATA} not found")
        return {}
    result: dict[str, Any] = {"rows": args.rows, "workers": args.workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
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
        result["single_query"] = single_queries(warm, single)
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
    if args.eval:
        from screening_eval import run

        result["quality"] = run(out=RESULTS.parent / "screening_eval.json")
    print_table(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1))
    return result


def print_table(result: dict[str, Any]) -> None:
    batch, single = result["batch"], result["single_query"]
    rows = [
        ("lists loaded", ", ".join(f"{k} {v}" for k, v in result["lists"].items())),
        ("index", f"{result['index_entities']} entities, {result['index_aliases']} aliases"),
        ("index build", f"{result['index_build_s']} s"),
        ("single query p50 / p99 / max",
         f"{single['p50_ms']} / {single['p99_ms']} / {single['max_ms']} ms "
         f"({single['queries']} queries, warm index)"),
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
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
