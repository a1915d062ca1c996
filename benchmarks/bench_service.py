"""The service under load: 50 concurrent users mixing `/match`, alert listing and case reads.

Run: `.venv/bin/python benchmarks/bench_service.py [--seconds 60] [--users 50] [--think 1 0]
[--store sqlite|postgresql|both]` after `make demo` (the workspace is a copy of ./demo-home:
its payments, alerts and the demo's users), with the UN (2026-02-27), OFAC SDN (2021) and OFAC
consolidated (2025) lists of ../shared/data loaded on top. On PostgreSQL
(`scripts/ensure-postgres.sh start` gives a throwaway server, or pass `--pg-url`) the
transactional store (users, tokens, markings, cases) lives there; the benchmark adds the users
and opens a few cases through the API first.

The client is bounded and local: httpx's async client on 127.0.0.1, `--users` tasks each
sending one request after another (half `/match/default` with a query from yente's UN positives
or its US negatives, a quarter `GET /v1/alerts` with a random filter, a quarter
`GET /v1/cases/{id}`) until `--seconds` pass. `--think` sets how users behave, one run per
value on the same warm server (default `1 0`): a user who pauses between requests for a
uniform 0.5-1.5 times the value (locust's `between(0.5, 1.5)` for 1: 50 users send about 50
requests a second, people at screens or a bank's systems screening as customers come), and 0,
the closed loop (each user sends the next request the moment the last is answered: the
server's saturation throughput; each request's latency is then mostly its wait in the queue,
about users / throughput by Little's law). Reported per run and route: requests, errors (any
status other than 200 or a transport error), p50 and p99 latency, the app's own time
(`Server-Timing`); the throughput, the server's and the client's CPU milliseconds per request
(/proc) and the load average before and after. Floors: 0 errors in every run; `/match` p99
under 50 ms in the runs with think time. The verdict is printed last (exit status 1 when a
floor is not met).

Side by side, in the same run and on the same queries: nomenklatura's logic-v2 (yente's
scorer) comparing each query with the 50 candidates jalur's screener retrieved for it, in this
process with no HTTP — yente's own retrieval (Elasticsearch) is not part of its figure, so it is
the scoring half of yente's `/match` only. The machine may be shared: its load moves the
figures, hence the load average beside each run. Prints a table and the verdict, and writes
benchmarks/results/service.json (`--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
LISTS = [
    ("lists/un/consolidated_2026-02-27.xml", None),
    ("lists/ofac/sdn_2021", "ofac-csv"),
    ("lists/ofac/cons_2025", "ofac-csv"),
]
RESULTS = ROOT / "benchmarks" / "results" / "service.json"
PASSWORDS = {"admin": "bench-admin-secret", "ana": "bench-analyst-secret"}
CANDIDATES = 50
MATCH_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def jalur(home: Path, *args: str, env: dict[str, str] | None = None) -> None:
    command = [sys.executable, "-c", "from jalur.cli import main; main()", "--home", str(home)]
    subprocess.run([*command, *args], check=True, env={**os.environ, **(env or {})},
                   stdout=subprocess.DEVNULL)  # fmt: skip


def prepare(demo: Path, workdir: Path, pg_url: str | None) -> Path:
    """A copy of the demo workspace with the shared lists loaded; on PostgreSQL its users."""
    home = workdir / "home"
    shutil.copytree(demo, home, ignore=shutil.ignore_patterns("exchange", "*.wal"))
    home.chmod(0o700)
    from jalur.lists import load_list
    from jalur.store import Store

    with Store(home / "jalur.duckdb") as store:
        for relative, fmt in LISTS:
            load_list(store, DATA / relative, fmt)
    if pg_url:
        pg_url = fresh_database(pg_url, workdir.name.replace("-", "_").lower())
        with (home / "jalur.toml").open("a") as toml:
            toml.write(f'\n[database]\nurl = "{pg_url}"\n')
    env = {"JALUR_NEW_PASSWORD": PASSWORDS["admin"]}
    if pg_url or not _has_user(home, "ana"):
        jalur(home, "users", "add", "admin", "--role", "admin", env=env)
        env = {"JALUR_NEW_PASSWORD": PASSWORDS["ana"], "JALUR_USER": "admin",
               "JALUR_PASSWORD": PASSWORDS["admin"]}  # fmt: skip
        jalur(home, "users", "add", "ana", "--role", "analyst", env=env)
    else:
        PASSWORDS["ana"] = "demo-analyst-secret"
    return home


def fresh_database(url: str, name: str) -> str:
    """A new, empty database on the server of `url` for this run (users, cases, markings)."""
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _has_user(home: Path, name: str) -> bool:
    import sqlite3

    path = home / "jalur.sqlite"
    if not path.exists():
        return False
    with sqlite3.connect(path) as db:
        return db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None


def queries(n: int, seed: int) -> list[dict[str, Any]]:
    """yente's request bodies: persons drawn from the UN positives and the US negatives."""
    rng = random.Random(seed)
    people: list[dict[str, str]] = []
    for name in ("positives_un_untreated.csv", "negatives_us.csv"):
        with (DATA / "names" / "yente" / name).open(newline="") as f:
            rows = list(csv.DictReader(f))
        people += rng.sample(rows, min(n // 2, len(rows)))
    bodies = []
    for person in people:
        props: dict[str, list[str]] = {"name": [person["full_name"]]}
        if person.get("date_of_birth"):
            props["birthDate"] = [person["date_of_birth"]]
        if person.get("nationality"):
            props["nationality"] = [person["nationality"]]
        bodies.append({"queries": {"q": {"schema": "Person", "properties": props}}})
    return bodies


def start_server(home: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from jalur.cli import main; main()", "--home", str(home),
               "serve", "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server was not ready in 120 s")


def setup_session(base: str) -> tuple[str, list[str], list[str]]:
    """A token for ana, some alert ids and case ids (cases opened on top alerts if too few)."""
    with httpx.Client(base_url=base, timeout=60) as http:
        reply = http.post("/v1/auth/token",
                          data={"username": "ana", "password": PASSWORDS["ana"]})  # fmt: skip
        reply.raise_for_status()
        http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        alerts = http.get("/v1/alerts", params={"limit": 200}).json()["alerts"]
        cases = [c["case_id"] for c in http.get("/v1/cases").json()]
        for alert in alerts[: max(0, 5 - len(cases))]:
            opened = http.post(
                "/v1/cases",
                json={
                    "title": f"bench {alert['alert_id']}",
                    "evidence": [{"kind": "alert", "ref": alert["alert_id"]}],
                },
            )
            opened.raise_for_status()
            cases.append(opened.json()["case_id"])
        return str(http.headers["Authorization"]), cases, [a["account"] for a in alerts]


async def load(
    base: str, auth: str, bodies: list[dict[str, Any]], cases: list[str], accounts: list[str],
    users: int, seconds: float, seed: int, think: float,
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, int], float]:  # fmt: skip
    latencies: dict[str, list[float]] = {"/match": [], "/v1/alerts": [], "/v1/cases/{id}": []}
    spent: dict[str, list[float]] = {route: [] for route in latencies}
    errors: dict[str, int] = dict.fromkeys(latencies, 0)
    failures: list[str] = []
    # Idle connections are let go before uvicorn closes them (its keep-alive is 5 s): a request
    # sent on a connection the server is closing at that moment fails on the client side.
    limits = httpx.Limits(
        max_connections=users, max_keepalive_connections=users, keepalive_expiry=2.0
    )
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": auth}, limits=limits,
                                 timeout=30) as http:  # fmt: skip

        async def user(k: int) -> None:
            rng = random.Random(seed + k)
            if think > 0:  # users arrive spread over one pause, not all in the first instant
                await asyncio.sleep(rng.uniform(0, think))
            while time.perf_counter() < end:
                pick = rng.random()
                if pick < 0.5:
                    route, call = "/match", http.post("/match/default", json=rng.choice(bodies))
                elif pick < 0.75:
                    params: dict[str, Any] = rng.choice(
                        [
                            {"limit": 20},
                            {"min_score": 0.8, "limit": 20},
                            {"account": rng.choice(accounts)},
                            {"typology": "cash_funnel"},
                        ]
                    )
                    route, call = "/v1/alerts", http.get("/v1/alerts", params=params)
                else:
                    route, call = "/v1/cases/{id}", http.get(f"/v1/cases/{rng.choice(cases)}")
                began = time.perf_counter()
                try:
                    reply = await call
                    ok = reply.status_code == 200
                    if not ok and len(failures) < 20:
                        failures.append(f"{route}: {reply.status_code} {reply.text[:300]}")
                    timing = reply.headers.get("server-timing", "")
                    if timing.startswith("app;dur="):
                        spent[route].append(float(timing[8:]) / 1000)
                except httpx.HTTPError as exc:
                    ok = False
                    if len(failures) < 20:
                        failures.append(f"{route}: {type(exc).__name__} {exc}")
                latencies[route].append(time.perf_counter() - began)
                errors[route] += not ok
                if think > 0:  # a person reading the answer (locust's `between(0.5, 1.5)`)
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

        start = time.perf_counter()
        end = start + seconds
        await asyncio.gather(*(user(k) for k in range(users)))
        for failure in failures:
            print("error:", failure, file=sys.stderr)
        return latencies, spent, errors, time.perf_counter() - start


def warm_up(base: str, auth: str, bodies: list[dict[str, Any]]) -> None:
    """A few queries first: the server's screening index loaded (or built, for new lists) and
    nomenklatura's lazily loaded data read before anything is timed."""
    from nomenklatura.matching import LogicV2, ScoringConfig

    with httpx.Client(base_url=base, headers={"Authorization": auth}, timeout=600) as http:
        for body in bodies:
            http.post("/match/default", json=body).raise_for_status()
    query = make_query(bodies[0], "bench-warm")
    LogicV2.compare(query, query, ScoringConfig.defaults())


def make_query(body: dict[str, Any], entity_id: str) -> Any:
    from followthemoney import model

    query = model.make_entity("Person")
    query.id = entity_id
    for prop, values in body["queries"]["q"]["properties"].items():
        query.add(prop, values, quiet=True)
    return query


def logic_v2_side(base: str, auth: str, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """logic-v2 scoring each query against the candidates jalur's /match brings up."""
    from followthemoney import model
    from nomenklatura.matching import LogicV2, ScoringConfig

    config = ScoringConfig.defaults()
    scoring: list[float] = []
    jalur_ms: list[float] = []
    agree = compared = 0
    with httpx.Client(base_url=base, headers={"Authorization": auth}, timeout=60) as http:
        for n, body in enumerate(bodies):
            began = time.perf_counter()
            reply = http.post("/match/default", params={"limit": CANDIDATES, "cutoff": 0.0},
                              json=body)  # fmt: skip
            jalur_ms.append(time.perf_counter() - began)
            results = reply.json()["responses"]["q"]["results"]
            query = make_query(body, f"bench-query-{n}")
            candidates = []
            for r in results:
                entity = model.make_entity(r["schema"])
                entity.id = r["id"]
                for prop, values in r["properties"].items():
                    entity.add(prop, values, quiet=True, fuzzy=True)
                candidates.append(entity)
            began = time.perf_counter()
            scores = [LogicV2.compare(query, c, config).score for c in candidates]
            scoring.append(time.perf_counter() - began)
            if results:
                compared += 1
                best = max(range(len(scores)), key=scores.__getitem__)
                agree += results[best]["id"] == results[0]["id"]
    return {
        "queries": len(bodies),
        "jalur_match_sequential": summary(jalur_ms),
        "logic_v2_scoring": summary(scoring),
        "top1_agreement": round(agree / compared, 3) if compared else None,
        "queries_with_candidates": compared,
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
        "mean_ms": round(1000 * statistics.fmean(ordered), 2),
    }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process (and its reaped children) has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(server: subprocess.Popen[bytes]) -> float | None:
    """CPU seconds of the server process (every thread of it)."""
    return cpu_seconds(server.pid)


def measure(
    args: argparse.Namespace, server: subprocess.Popen[bytes], base: str, auth: str,
    bodies: list[dict[str, Any]], cases: list[str], accounts: list[str], think: float,
) -> dict[str, Any]:  # fmt: skip
    """One load run on a warm server: `think` 0 is the closed loop (back to back)."""
    before, cpu_before, client_before = os.getloadavg(), server_cpu(server), time.process_time()
    latencies, spent, errors, took = asyncio.run(
        load(base, auth, bodies, cases, accounts, args.users, args.seconds, args.seed, think)
    )
    after, cpu_after, client_cpu = os.getloadavg(), server_cpu(server), time.process_time()
    total = sum(len(v) for v in latencies.values())
    server_ms = (
        round(1000 * (cpu_after - cpu_before) / total, 2)
        if cpu_before is not None and cpu_after is not None and total
        else None
    )
    return {
        "think_s": think, "mode": f"think {think:g} s" if think > 0 else "closed loop",
        "seconds": round(took, 1), "requests": total, "throughput_rps": round(total / took, 1),
        "errors": sum(errors.values()),
        "routes": {r: {**summary(v), "errors": errors[r],
                       "app": summary(spent[r])} for r, v in latencies.items()},
        "server_cpu_ms_per_request": server_ms,
        "client_cpu_ms_per_request": round(1000 * (client_cpu - client_before) / total, 2)
        if total else None,
        "loadavg_before": before, "loadavg_after": after,
    }  # fmt: skip


def run_store(args: argparse.Namespace, label: str, pg_url: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        home = prepare(args.demo, Path(tmp), pg_url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(home, port, Path(tmp) / "server.log")
        try:
            auth, cases, accounts = setup_session(base)
            bodies = queries(args.queries, args.seed)
            warm_up(base, auth, bodies[-5:])
            side = logic_v2_side(base, auth, bodies[: args.compare])
            runs = [
                measure(args, server, base, auth, bodies, cases, accounts, think)
                for think in args.think
            ]
        finally:
            server.terminate()
            server.wait(30)
        return {"store": label, "users": args.users, "runs": runs, "side_by_side": side}


def verdict(results: list[dict[str, Any]]) -> list[str]:
    """The floors: 0 errors in every run; `/match` p99 under 50 ms where users pause between
    requests (a closed loop of 50 users measures saturation: its queue, not a request)."""
    failed = []
    for r in results:
        for run in r["runs"]:
            where = f"{r['store']}, {run['mode']}"
            if run["errors"]:
                failed.append(f"{where}: {run['errors']} errors (floor: 0)")
            p99 = run["routes"]["/match"].get("p99_ms")
            if run["think_s"] > 0 and (p99 is None or p99 >= MATCH_P99_MS):
                failed.append(f"{where}: /match p99 {p99} ms (floor: under {MATCH_P99_MS} ms)")
    return failed


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'store':<11}{'mode':<13}{'route':<16}{'requests':>9}{'errors':>7}{'p50 ms':>9}"
          f"{'p99 ms':>9}{'app p50':>9}{'app p99':>9}")  # fmt: skip
    for r in results:
        for run in r["runs"]:
            for route, s in run["routes"].items():
                print(f"{r['store']:<11}{run['mode']:<13}{route:<16}{s['n']:>9}{s['errors']:>7}"
                      f"{s.get('p50_ms', 0):>9}{s.get('p99_ms', 0):>9}"
                      f"{s['app'].get('p50_ms', 0):>9}{s['app'].get('p99_ms', 0):>9}")  # fmt: skip
            print(
                f"{r['store']:<11}{run['mode']:<13}{'all':<16}{run['requests']:>9}"
                f"{run['errors']:>7}  {run['throughput_rps']} req/s over {run['seconds']} s, "
                f"{r['users']} users; CPU ms/request: server "
                f"{run['server_cpu_ms_per_request']}, client {run['client_cpu_ms_per_request']}; "
                f"load average {run['loadavg_before'][0]:.2f} -> {run['loadavg_after'][0]:.2f}"
            )
        side = r["side_by_side"]
        print(f"{r['store']:<11}same {side['queries']} queries, one at a time: jalur /match "
              f"(HTTP, retrieval + scoring) p50 {side['jalur_match_sequential'].get('p50_ms')} "
              f"p99 {side['jalur_match_sequential'].get('p99_ms')} ms; logic-v2 scoring "
              f"{CANDIDATES} candidates (no retrieval, no HTTP) p50 "
              f"{side['logic_v2_scoring'].get('p50_ms')} p99 "
              f"{side['logic_v2_scoring'].get('p99_ms')} ms; top-1 agreement "
              f"{side['top1_agreement']}")  # fmt: skip
    failed = verdict(results)
    for line in failed:
        print("floor not met:", line)
    if not failed:
        print(f"floors met: 0 errors in every run; /match p99 under {MATCH_P99_MS} ms in every "
              "run with think time")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, nargs="+", default=[1.0, 0.0],
                        help="mean pause (s) of a user between requests, uniform 0.5-1.5 times "
                             "it; 0 is the closed loop; one run per value")  # fmt: skip
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=os.environ.get("JALUR_TEST_PG_URL"))
    parser.add_argument("--demo", type=Path, default=ROOT / "demo-home")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--compare", type=int, default=100, help="queries scored side by side")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if any(t < 0 for t in args.think):
        raise SystemExit("--think: a pause is 0 s or more")
    if not DATA.is_dir():
        raise SystemExit(f"no shared data at {DATA}: the benchmark needs its lists and names")
    if not (args.demo / "jalur.duckdb").exists():
        raise SystemExit(f"no demo workspace at {args.demo}: run `make demo` first")
    if args.store in ("postgresql", "both") and not args.pg_url:
        raise SystemExit('PostgreSQL: eval "$(bash scripts/ensure-postgres.sh start)" first')
    results = []
    if args.store in ("sqlite", "both"):
        results.append(run_store(args, "sqlite", None))
    if args.store in ("postgresql", "both"):
        results.append(run_store(args, "postgresql", args.pg_url))
    print_table(results)
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    if verdict(results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
