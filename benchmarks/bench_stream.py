"""Real-time decision benchmark: sustained payments per second and decision latency, over NATS
JetStream and over HTTP, with the UN, OFAC and demo lists loaded and 1,000,000 payments of
history in the window state (issue 18).

Setup: a temporary workspace with the UN 2026-02-27 and OFAC (SDN 2021, consolidated 2025)
snapshots from ../shared/data/lists and the bundled demo lists (OFAC excerpt, DTTOT sample);
the generator (seed 7, names drawn from those lists) writes history + measured payments; the
first `--history` payments in time order go into the windows and counters (`Decider.history`:
every typology, no stored decision) and their parties' names are screened in batch
(`Watch.warm`: a bank's customers and known counterparties are screened before they pay); the
rest are measured, new names screened one by one as they come.

- Stream: a throwaway nats-server (scripts/ensure-nats.sh); `consume` runs in a forked child
  with that state (forked after `gc.freeze()`, as `consume` freezes its own: the child does not
  copy and walk the parent's heap); the parent waits until the consumer's first fetch is
  waiting at the server, then publishes payments at `--rate` per second and listens on the
  decisions subject. Latency: decision received minus payment published (two NATS hops, the
  decision and its commit to the state file included). Throughput: payments over the time
  from the first publish to the last decision.
- HTTP: uvicorn on 127.0.0.1 serving a bare FastAPI app with `payments_router` (same state);
  a forked client process posts canonical JSON with `--clients` connections (httpx), closed
  loop. Latency: request sent to answer read.

Floors: stream 1,000/s with p99 < 20 ms; HTTP 500/s with p99 < 50 ms.
Writes benchmarks/results/stream.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import nats
import pyarrow.parquet as pq
import uvicorn
from fastapi import FastAPI
from nats.js.errors import NotFoundError

from jalur.lists import ParseOptions, load_list
from jalur.monitoring import HITS_SCHEMA
from jalur.store import Store
from jalur.stream import Decider, Payment, StateStore, load_config, payment_from_row, read_workspace
from jalur.stream.broker import Subjects, consume, ensure_streams
from jalur.stream.http import payments_router
from jalur.transactions import GeneratorConfig, generate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "lists"
BUNDLED = ROOT / "src" / "jalur" / "lists" / "bundled"
RESULT = ROOT / "benchmarks" / "results" / "stream.json"
LISTS = [  # the demo excerpt first: the full SDN snapshot is a later version of the same list
    (BUNDLED / "ofac_sdn_excerpt", None, None),
    (BUNDLED / "dttot-sample.csv", "csv", "dttot"),
    (DATA / "un/consolidated_2026-02-27.xml", "un", None),
    (DATA / "ofac/sdn_2021", "ofac-csv", None),
    (DATA / "ofac/cons_2025", "ofac-csv", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--stream", type=int, default=20_000, help="payments measured on NATS")
    parser.add_argument("--http", type=int, default=10_000, help="payments measured over HTTP")
    parser.add_argument("--rate", type=float, default=1_000.0, help="stream payments offered/s")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": _machine(), "args": vars(args)}
    with tempfile.TemporaryDirectory(prefix="jalur-bench-stream-") as tmp:
        folder = Path(tmp)
        decider, history, measured, setup = _setup(folder, args)
        result["setup"] = setup
        stream_part, http_part = measured[: args.stream], measured[args.stream :]
        result["stream"] = _stream(decider, stream_part, folder, args.rate)
        result["http"] = _http(decider, http_part, args.clients)
        result["history_payments"] = history
    result["machine"]["load_after"] = os.getloadavg()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1), encoding="utf-8")
    _print(result)


def _machine() -> dict[str, Any]:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    return {"cpus": os.cpu_count(), "load_before": os.getloadavg(), "uptime": uptime.strip()}


def _setup(
    folder: Path, args: argparse.Namespace
) -> tuple[Decider, int, list[Payment], dict[str, Any]]:
    setup: dict[str, Any] = {}
    clock = time.perf_counter()
    with Store(folder / "jalur.duckdb") as store:
        loaded = {}
        for path, fmt, mapping in LISTS:
            if path.exists():
                options = ParseOptions(mapping=Path(mapping)) if mapping else None
                report = load_list(store, path, fmt, options)
                loaded[report.list] = report.entities
        setup["lists"] = loaded
        setup["lists_s"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        total = args.history + args.stream + args.http
        generate(GeneratorConfig(transactions=total, seed=7), folder / "generated", store)
        setup["generate_s"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        seeds, watch = read_workspace(store, HITS_SCHEMA.empty_table())
        setup["screener_s"] = round(time.perf_counter() - clock, 1)
    decider = Decider(StateStore(folder / "state.sqlite"), load_config(), seeds, watch)
    payments = _payments(folder / "generated" / "transactions.parquet")
    clock = time.perf_counter()
    for payment in payments[: args.history]:
        decider.history(payment)
    setup["history_s"] = round(time.perf_counter() - clock, 1)
    clock = time.perf_counter()
    # the parties of the history were screened when they became customers or counterparties
    setup["names_screened"] = decider.watch.warm(payments[: args.history])
    setup["warm_s"] = round(time.perf_counter() - clock, 1)
    setup["windows_hold"] = len(decider.index)
    setup["counters"] = len(decider.counters)
    return decider, min(args.history, len(payments)), payments[args.history :], setup


def _payments(path: Path) -> list[Payment]:
    found = []
    for batch in pq.ParquetFile(path).iter_batches(batch_size=100_000):
        found += [payment_from_row(row) for row in batch.to_pylist()]
    found.sort(key=lambda p: (p.ts, p.tx_id))
    return found


# --- stream -------------------------------------------------------------------------------


def _stream(decider: Decider, payments: list[Payment], folder: Path, rate: float) -> dict[str, Any]:
    exports = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-nats.sh"), "start"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    env = dict(line.removeprefix("export ").split("=", 1) for line in exports.splitlines())
    url, nats_dir = env["JALUR_TEST_NATS_URL"].strip("'"), env["JALUR_TEST_NATS_DIR"].strip("'")
    subjects = Subjects.of({**load_config().section("nats"), "ack_wait": 30.0, "batch": 100})
    try:
        asyncio.run(_prepare(url, subjects))
        gc.collect()
        gc.freeze()  # the state is long-lived in both processes; the child shares it unwalked
        child = multiprocessing.get_context("fork").Process(
            target=_consume, args=(decider, folder / "stream.sqlite", url, subjects)
        )
        child.start()
        began = time.process_time()
        sent, arrived = asyncio.run(_offer(url, subjects, payments, rate))
        offered_cpu = time.process_time() - began
        child.join(timeout=120)
        used = json.loads((folder / "consumer.json").read_text())
    finally:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "ensure-nats.sh"), "stop", nats_dir], check=False
        )
    latencies = [(arrived[k] - sent[k]) * 1000 for k in sent if k in arrived]
    span = max(arrived.values()) - min(sent.values())
    return {
        "offered_per_s": rate,
        "payments": len(payments),
        "decided": len(latencies),
        "per_s": round(len(latencies) / span, 1),
        **_percentiles(latencies),
        "consumer_cpu_ms_per_payment": round(1000 * used["cpu_s"] / max(1, used["decided"]), 3),
        "publisher_cpu_ms_per_payment": round(1000 * offered_cpu / max(1, len(payments)), 3),
    }


async def _prepare(url: str, subjects: Subjects) -> None:
    nc = await nats.connect(url)
    await ensure_streams(nc.jetstream(), subjects)
    await nc.close()


def _consume(decider: Decider, state: Path, url: str, subjects: Subjects) -> None:
    decider.state = StateStore(state)  # the parent's connection stays the parent's
    began = time.process_time()
    counts = asyncio.run(consume(url, decider, subjects, idle_exit=5.0))
    used = {"cpu_s": time.process_time() - began, "decided": counts.decided}
    (state.parent / "consumer.json").write_text(json.dumps(used), encoding="utf-8")


async def _offer(
    url: str, subjects: Subjects, payments: list[Payment], rate: float
) -> tuple[dict[str, float], dict[str, float]]:
    nc = await nats.connect(url)
    js = nc.jetstream(timeout=30)
    sent: dict[str, float] = {}
    arrived: dict[str, float] = {}

    async def on_decision(message: Any) -> None:
        arrived[json.loads(message.data)["key"]] = time.time()

    await nc.subscribe(subjects.decisions, cb=on_decision)
    await _ready(js, subjects)
    # encoded before the clock starts, confirmed together at the end (not a request, a task
    # and a timer per payment): the load generator shares the two cores with the consumer and
    # the server. The latency is still from each payment's send to its decision's arrival.
    bodies = [json.dumps(p.as_json()).encode() for p in payments]
    confirms: list[Any] = []
    tick, per_tick = 0.01, max(1, int(rate * 0.01))
    start = time.monotonic()
    for i in range(0, len(payments), per_tick):
        now = time.time()
        for p, body in zip(payments[i : i + per_tick], bodies[i : i + per_tick], strict=True):
            sent[p.key] = now
            headers = {"Nats-Msg-Id": p.key}
            confirms.append(await js.publish_async(subjects.payments, body, headers=headers))
        wait = start + (i // per_tick + 1) * tick - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
    await asyncio.wait_for(asyncio.gather(*confirms), timeout=120)  # the broker took them all
    deadline = time.monotonic() + 120
    while len(arrived) < len(sent) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await nc.close()
    return sent, arrived


async def _ready(js: Any, subjects: Subjects, within: float = 300.0) -> None:
    """Wait until the consumer has started: its pull request is waiting at the server (so no
    payment is timed while the consumer is still starting)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            info = await js.consumer_info(subjects.stream, subjects.durable)
            if info.num_waiting:
                return
        except NotFoundError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the consumer did not start within {within:.0f} s")


# --- HTTP ---------------------------------------------------------------------------------


def _http(decider: Decider, payments: list[Payment], clients: int) -> dict[str, Any]:
    port = _free_port()
    bodies = [json.dumps(p.as_json()) for p in payments]
    out = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(
        target=_client, args=(port, bodies, clients, out)
    )
    child.start()  # before the server's threads exist: forking a threaded process is unsafe
    gc.collect()
    gc.freeze()  # as `consume` does: the windows and the index are long-lived
    app = FastAPI()
    app.include_router(payments_router(decider))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    began = time.process_time()  # the server's CPU: this process does nothing else meanwhile
    thread.start()
    latencies, elapsed, failures = out.get(timeout=1800)
    cpu = time.process_time() - began
    child.join()
    server.should_exit = True
    thread.join(timeout=10)
    return {
        "clients": clients,
        "payments": len(payments),
        "failed": failures,
        "per_s": round(len(latencies) / elapsed, 1),
        **_percentiles(latencies),
        "server_cpu_ms_per_payment": round(1000 * cpu / max(1, len(latencies)), 3),
    }


def _client(port: int, bodies: list[str], clients: int, out: Any) -> None:
    url = f"http://127.0.0.1:{port}/v1/payments/decide"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1.0)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def work(share: list[str]) -> None:
        with httpx.Client(headers={"content-type": "application/json"}) as http:
            for body in share:
                began = time.perf_counter()
                answer = http.post(url, content=body)
                took = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(took)
                    failures[0] += answer.status_code != 200

    shares = [bodies[i::clients] for i in range(clients)]
    began = time.perf_counter()
    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((latencies, time.perf_counter() - began, failures[0]))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "max_ms": float("nan")}
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _print(result: dict[str, Any]) -> None:
    print(f"machine: {result['machine']['cpus']} cpus; {result['machine']['uptime']}")
    print(f"setup: {result['setup']}")
    floors = {"stream": (1000, 20), "http": (500, 50)}
    print(f"{'path':8} {'payments/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  floor")
    for path, (rate, p99) in floors.items():
        r = result[path]
        ok = r["per_s"] >= rate and r["p99_ms"] < p99
        print(
            f"{path:8} {r['per_s']:>11,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['max_ms']:>8.2f}  {rate}/s, p99 < {p99} ms: {'met' if ok else 'NOT met'}"
        )
    print(
        f"CPU per payment: consumer {result['stream']['consumer_cpu_ms_per_payment']} ms "
        f"(publisher and listener {result['stream']['publisher_cpu_ms_per_payment']} ms), "
        f"HTTP server {result['http']['server_cpu_ms_per_payment']} ms"
    )
    print(f"results: {RESULT}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
