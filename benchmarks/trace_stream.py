"""Where a stream payment's latency goes: `bench_stream.py`'s stream part, with timestamps.

The consumer (forked as in `bench_stream.py`) records per batch when its fetch began and
ended, when the decisions were decided and committed (and how long the commit took), when the
broker's confirmations were recorded, each collection of Python's cycle collector, each new
name screened and each decision over 5 ms; the parent records each payment's send and its
decision's arrival. Joined per payment, the report splits the latency into: waiting to be
decided (the batch ahead of it, then its fetch), deciding and committing its batch, and the
decision's way to the listener — with batch sizes and the collector's pauses.

    PYTHONPATH=src python benchmarks/trace_stream.py --history 100000 --stream 10000

It wraps internals (the fetch, `Decider.decide_many`, `StateStore.save` and
`mark_published`) and adds a little work of its own; compare runs of it with runs of it.
Writes benchmarks/results/stream-trace.json (the raw timestamps) and prints the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from nats.js.client import JetStreamContext

from jalur.screening import Screener
from jalur.stream import Decider, StateStore
from jalur.stream import broker as stream_broker

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "stream-trace.json"
_spec = importlib.util.spec_from_file_location("bench_stream", ROOT / "benchmarks/bench_stream.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

TRACE: dict[str, list[Any]] = {
    "batches": [], "fetch": [], "gc": [], "marks": [], "screen": [], "slow": [],
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--stream", type=int, default=10_000)
    parser.add_argument("--http", type=int, default=1_000, help="payments kept after the stream")
    parser.add_argument("--rate", type=float, default=1_000.0)
    args = parser.parse_args()
    bench._consume = _consume
    got: dict[str, dict[str, float]] = {}
    offer = bench._offer

    async def recorded(*given: Any) -> tuple[dict[str, float], dict[str, float]]:
        got["sent"], got["arrived"] = await offer(*given)
        return got["sent"], got["arrived"]

    bench._offer = recorded
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="jalur-trace-stream-") as tmp:
        folder = Path(tmp)
        decider, _, measured, setup = bench._setup(folder, args)
        result = bench._stream(decider, measured[: args.stream], folder, args.rate)
        trace = json.loads((folder / "trace.json").read_text())
    run = {"args": vars(args), "setup": setup, "result": result, "trace": trace, **got}
    run["load"] = [load_before, os.getloadavg()]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(run), encoding="utf-8")
    report(run)


def _consume(decider: Decider, state: Path, url: str, subjects: Any) -> None:
    _instrument()
    decider.state = StateStore(state)
    began = time.process_time()
    counts = asyncio.run(stream_broker.consume(url, decider, subjects, idle_exit=5.0))
    used = {"cpu_s": time.process_time() - began, "decided": counts.decided}
    (state.parent / "consumer.json").write_text(json.dumps(used), encoding="utf-8")
    (state.parent / "trace.json").write_text(json.dumps(TRACE), encoding="utf-8")


def _instrument() -> None:
    pull = JetStreamContext.PullSubscription
    fetch, decide_many, decide = pull.fetch, Decider.decide_many, Decider._decide
    save, mark, screen = StateStore.save, StateStore.mark_published, Screener.screen
    saves: list[float] = []

    async def fetched(self: Any, *given: Any, **named: Any) -> Any:
        began = time.time()
        got: list[Any] = []
        try:
            got = await fetch(self, *given, **named)
        finally:
            TRACE["fetch"].append((began, time.time(), len(got)))
        return got

    def decided(self: Decider, payments: Any) -> Any:
        began = time.time()
        outcomes = decide_many(self, payments)
        TRACE["batches"].append(
            {"t0": began, "t1": time.time(), "n": len(payments),
             "save": saves[-1] if saves else 0.0, "keys": [p.key for p in payments]}
        )  # fmt: skip
        return outcomes

    def timed_decide(self: Decider, payment: Any) -> Any:
        began = time.time()
        answer = decide(self, payment)
        if time.time() - began > 0.005:
            TRACE["slow"].append((began, time.time() - began, payment.tx_id))
        return answer

    def saved(self: StateStore, *given: Any, **named: Any) -> None:
        began = time.time()
        save(self, *given, **named)
        saves.append(time.time() - began)

    def marked(self: StateStore, keys: Any) -> None:
        keys, began = list(keys), time.time()
        mark(self, keys)
        TRACE["marks"].append((began, time.time(), keys))

    def screened(self: Screener, *given: Any, **named: Any) -> Any:
        began = time.time()
        hits = screen(self, *given, **named)
        TRACE["screen"].append((began, time.time()))
        return hits

    pull.fetch = fetched  # type: ignore[method-assign]
    Decider.decide_many, Decider._decide = decided, timed_decide  # type: ignore[method-assign]
    StateStore.save, StateStore.mark_published = saved, marked  # type: ignore[method-assign]
    Screener.screen = screened  # type: ignore[method-assign]
    collecting: dict[str, float] = {}

    def on_collection(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting["t"] = time.time()
        else:
            TRACE["gc"].append((collecting.get("t", 0.0), time.time(), info["generation"]))

    gc.callbacks.append(on_collection)


def report(run: dict[str, Any]) -> None:
    sent, arrived, trace = run["sent"], run["arrived"], run["trace"]
    print(f"load average before/after: {run['load']}")
    print(f"result: {run['result']}")
    batches = trace["batches"]
    sizes = [b["n"] for b in batches]
    print(f"batches: {len(batches)}, size mean {statistics.mean(sizes):.1f}, max {max(sizes)}")
    for name, values in (
        ("decide+commit", [b["t1"] - b["t0"] for b in batches]),
        ("commit", [b["save"] for b in batches]),
        ("record published", [m[1] - m[0] for m in trace["marks"]]),
        ("fetch", [f[1] - f[0] for f in trace["fetch"]]),
    ):
        print(f"{name:>17} ms per batch: {_spread(values)}")
    decided: dict[str, tuple[float, float]] = {}
    for b in batches:
        for key in b["keys"]:
            decided.setdefault(key, (b["t0"], b["t1"]))
    rows = sorted(
        (arrived[k] - t, decided[k][0] - t, _took(decided[k]), arrived[k] - decided[k][1])
        for k, t in sent.items()
        if k in arrived and k in decided
    )  # fmt: skip
    print("per payment, ms: total = waiting to be decided + its batch + on to the listener")
    for share in (0.5, 0.9, 0.99, 0.999):
        row = rows[min(len(rows) - 1, int(len(rows) * share))]
        print(f"  p{share * 100:g}: " + " | ".join(f"{1000 * x:.2f}" for x in row))
    worst = rows[int(len(rows) * 0.99) :]
    means = [1000 * statistics.mean(r[i] for r in worst) for i in range(4)]
    print("  mean of the worst 1%: " + " | ".join(f"{x:.2f}" for x in means))
    start = min(sent.values())
    pauses = [g for g in trace["gc"] if g[0] >= start]
    by_generation = {n: sum(1 for g in pauses if g[2] == n) for n in (0, 1, 2)}
    print(
        f"collections while measured: {by_generation}, ms: {_spread([g[1] - g[0] for g in pauses])}"
    )
    print(f"names screened one by one: {len(trace['screen'])}, ms: "
          f"{_spread([s[1] - s[0] for s in trace['screen']])}")  # fmt: skip
    slow = sorted(trace["slow"], key=lambda s: -s[1])[:5]
    print("slowest decisions: " + ", ".join(f"{s[2]} {1000 * s[1]:.0f} ms" for s in slow))


def _took(span: tuple[float, float]) -> float:
    return span[1] - span[0]


def _spread(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    at = [ordered[min(len(ordered) - 1, int(len(ordered) * q))] for q in (0.5, 0.9, 0.99)]
    return f"p50 {1000 * at[0]:.2f}, p90 {1000 * at[1]:.2f}, p99 {1000 * at[2]:.2f}, " + (
        f"max {1000 * ordered[-1]:.2f}, sum {sum(ordered):.2f} s"
    )


if __name__ == "__main__":
    main()
