"""Benchmark: cases, goAML reports and the audit trail on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/bench_cases.py [--cases 10000] [--reports 1000] [--audit 1000000]

Per database:
  open cases     N alerts planted in DuckDB (an alert, its subject account, two payments), each
                 opened as a case through the product path: `alert_evidence` reads the alert,
                 its accounts and payments from DuckDB, `open_case` writes the case, its
                 evidence snapshots, timeline event and audit entry in one transaction.
  reports        M of those cases proposed (LTKMT) by an analyst and approved by a supervisor
                 (not timed), then for each: `case_details`, `report_input`, `write_report`
                 (built, validated against the PPATK XSD, written) and `record_report`.
  audit verify   a trail of E entries (a valid chain, written in bulk) checked by
                 `check_trail`: every hash, every link, the head row. Floor: under 60 s.
Each phase runs in a fresh process (imports done before its clock starts); memory is that
process's peak RSS (the interpreter and imports included: about 280 MB). PostgreSQL is the
throwaway server of scripts/ensure-postgres.sh, started and stopped here. The CLI is not in the
loop: one command's start-up (about a second) would swamp what is measured. Writes
benchmarks/results/cases.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # also in the spawned phase processes
RESULTS = ROOT / "benchmarks" / "results" / "cases.json"
PW = "benchmark password"
REPORTING = """
[reporting]
rentity_id = 4711
branch = "Jakarta Head Office"
[reporting.person]
last_name = "Rahma"
email = "mlro@bank-contoh.test"
"""


# --- phases (each runs in its own process) -------------------------------------------------


def plant(home: str, n: int) -> None:
    """N alerts, each with a subject account and two payments, in the workspace's DuckDB."""
    import pyarrow as pa

    from jalur.config import Settings
    from jalur.model import TRANSACTION_SCHEMA
    from jalur.store import Store
    from jalur.transactions import ensure_tables

    rows, alerts, accounts, links = [], [], [], []
    for i in range(n):
        account = f"0812{i:06d}"
        alerts.append((f"AL-{i}", "run-1", "terror_exposure", account, 0.9,
                       f"{account} sends all its money on to terror-linked accounts"))  # fmt: skip
        accounts.append((f"AL-{i}", account, "subject"))
        for k in range(2):
            tx_id = f"tx-{i}-{k}"
            links.append((f"AL-{i}", tx_id))
            rows.append({
                "tx_id": tx_id, "timestamp": datetime(2025, 3, 1 + k, 9, tzinfo=UTC),
                "orig_account": account, "orig_bank": "BRINIDJA", "orig_name": f"Party {i}",
                "orig_country": "ID", "bene_account": f"PH{i:010d}", "bene_bank": "BOPIPHMM",
                "bene_name": f"Receiver {i}", "bene_country": "PH",
                "amount": 1_000_000.0 + i, "currency": "IDR", "channel": "wire",
            })  # fmt: skip
    with Store.open(Settings.resolve(home)) as store:
        ensure_tables(store)
        store.con.register("planted", pa.Table.from_pylist(rows, TRANSACTION_SCHEMA))
        store.execute("INSERT INTO transactions SELECT * FROM planted")
        store.execute(
            "CREATE TABLE alerts (alert_id VARCHAR, run_id VARCHAR, typology VARCHAR, "
            "account VARCHAR, score DOUBLE, explanation VARCHAR, features VARCHAR, facts VARCHAR)"
        )
        store.execute(
            "CREATE TABLE alert_accounts (alert_id VARCHAR, account VARCHAR, role VARCHAR)"
        )
        store.execute("CREATE TABLE alert_transactions (alert_id VARCHAR, tx_id VARCHAR)")
        store.con.executemany("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)", alerts)
        store.con.executemany("INSERT INTO alert_accounts VALUES (?, ?, ?)", accounts)
        store.con.executemany("INSERT INTO alert_transactions VALUES (?, ?)", links)


def users(home: str) -> None:
    from jalur.config import Settings
    from jalur.sqlstore import open_database
    from jalur.users import add_user

    engine = open_database(Settings.resolve(home))
    admin = add_user(engine, None, "root", "admin", PW)
    add_user(engine, admin, "ana", "analyst", PW)
    add_user(engine, admin, "sam", "supervisor", PW)
    engine.dispose()


def open_cases(home: str, n: int) -> list[str]:
    from jalur.cases import open_case
    from jalur.cases.evidence import alert_evidence
    from jalur.config import Settings
    from jalur.sqlstore import open_database
    from jalur.store import Store
    from jalur.users import sign_in

    settings = Settings.resolve(home)
    engine = open_database(settings)
    ana = sign_in(engine, "ana", PW)
    found = []
    with Store.open(settings) as store:
        for i in range(n):
            evidence = alert_evidence(store, f"AL-{i}")
            found.append(open_case(engine, ana, f"alert AL-{i}", evidence, "terror_exposure"))
    engine.dispose()
    return found


def decide(home: str, ids: list[str]) -> None:
    from jalur.cases import approve, propose
    from jalur.config import Settings
    from jalur.sqlstore import open_database
    from jalur.users import sign_in

    engine = open_database(Settings.resolve(home))
    ana, sam = sign_in(engine, "ana", PW), sign_in(engine, "sam", PW)
    for case_id in ids:
        propose(engine, ana, case_id, "report", "funds reach terror-linked accounts", "LTKMT")
        approve(engine, sam, case_id)
    engine.dispose()


def reports(home: str, ids: list[str]) -> int:
    from jalur.canonical import utcnow
    from jalur.cases import ReportOptions, case_details, record_report, report_input
    from jalur.config import Settings
    from jalur.reporting import ReportingSettings, load_profile, write_report
    from jalur.sqlstore import open_database
    from jalur.users import sign_in

    settings = Settings.resolve(home)
    engine = open_database(settings)
    ana = sign_in(engine, "ana", PW)
    reporter = ReportingSettings.from_section(settings.section("reporting"))
    profile = load_profile("ppatk-4.0.2")
    folder = Path(home) / "reports"
    folder.mkdir()
    written = 0
    for case_id in ids:
        details = case_details(engine, case_id)
        assert details is not None
        case, problems = report_input(details, reporter, ReportOptions(), utcnow())
        assert not problems, problems
        out = folder / f"{case_id}.xml"
        digest = write_report(case, profile, out)
        record_report(engine, ana, case_id, digest, str(out), profile.name)
        written += out.stat().st_size
    engine.dispose()
    return written


def fill_audit(home: str, n: int) -> None:
    """A valid chain of N entries after what the trail holds, written in bulk (not timed)."""
    from sqlalchemy import insert, select, update

    from jalur.audit import entry_hash
    from jalur.canonical import canonical
    from jalur.config import Settings
    from jalur.sqlstore import open_database
    from jalur.sqlstore.schema import audit_head, audit_log

    engine = open_database(Settings.resolve(home))
    with engine.begin() as con:
        seq, prev = con.execute(select(audit_head.c.seq, audit_head.c.hash)).one()
    batch: list[dict[str, Any]] = []
    at = "2025-03-01T09:00:00Z"
    for i in range(n):
        seq += 1
        details = {"from": "investigating", "to": "investigating", "text": f"note {i}"}
        obj = f"CASE-{i % 50_000:010d}"
        digest = entry_hash(seq, at, "ana", "case.comment", obj, details, prev)
        batch.append({"seq": seq, "at": at, "user_name": "ana", "action": "case.comment",
                      "object": obj, "details": canonical(details).decode(),
                      "prev_hash": prev, "hash": digest})  # fmt: skip
        prev = digest
        if len(batch) == 20_000 or i == n - 1:
            with engine.begin() as con:
                con.execute(insert(audit_log), batch)
                con.execute(
                    update(audit_head).where(audit_head.c.id == 1).values(seq=seq, hash=prev)
                )
            batch = []
    engine.dispose()


def verify(home: str) -> dict[str, Any]:
    from jalur.audit import check_trail
    from jalur.config import Settings
    from jalur.sqlstore import open_database

    settings = Settings.resolve(home)
    engine = open_database(settings)
    report = check_trail(engine, [], settings.seals_path)
    engine.dispose()
    return {"intact": report.intact, "entries": report.entries}


# --- harness --------------------------------------------------------------------------------


def _child(target: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    import jalur.audit
    import jalur.cases
    import jalur.reporting
    import jalur.sqlstore
    import jalur.transactions
    import jalur.users  # noqa: F401 - imported before the clock starts

    started = time.perf_counter()
    result = target(*args)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, result))


def phase(target: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """Run one phase in a fresh process: (seconds, peak RSS in MB, its result)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(target, args, queue))
    process.start()
    found = queue.get()
    process.join()
    if process.exitcode:
        raise SystemExit(f"{target.__name__} failed with exit code {process.exitcode}")
    return found  # type: ignore[no-any-return]


def start_postgres() -> dict[str, str]:
    out = subprocess.run(["bash", "scripts/ensure-postgres.sh", "start"], cwd=ROOT,
                         capture_output=True, text=True, check=False)  # fmt: skip
    found = {}
    for line in out.stdout.splitlines():
        if line.startswith("export "):
            name, _, value = line[7:].partition("=")
            found[name] = shlex.split(value)[0]
    return found


def workspace(root: Path, backend: str, pg_url: str | None) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    home = root / backend
    home.mkdir(mode=0o700)
    config = REPORTING
    if backend == "postgresql":
        assert pg_url is not None
        schema = "bench_" + uuid.uuid4().hex[:8]
        base = make_url(pg_url).set(drivername="postgresql+psycopg")
        admin = create_engine(base)
        with admin.begin() as con:
            con.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False).replace("+psycopg", "", 1)
        config = f'[database]\nurl = "{rendered}"\n' + REPORTING
    (home / "jalur.toml").write_text(config, encoding="utf-8")
    return str(home)


def run_backend(
    backend: str, root: Path, args: argparse.Namespace, pg_url: str | None
) -> dict[str, Any]:
    home = workspace(root, backend, pg_url)
    phase(plant, home, args.cases)
    phase(users, home)
    seconds, peak, ids = phase(open_cases, home, args.cases)
    row: dict[str, Any] = {"cases": args.cases, "open_s": seconds, "open_peak_mb": peak}
    print(f"  {backend}: opened {args.cases:,} cases in {seconds:.1f} s", flush=True)
    chosen = ids[: args.reports]
    row["decide_s"] = phase(decide, home, chosen)[0]
    seconds, peak, size = phase(reports, home, chosen)
    row |= {"reports": len(chosen), "report_s": seconds, "report_peak_mb": peak,
            "report_bytes": size}  # fmt: skip
    print(f"  {backend}: {len(chosen):,} reports in {seconds:.1f} s", flush=True)
    fill_s = phase(fill_audit, home, args.audit)[0]
    seconds, peak, found = phase(verify, home)
    assert found["intact"], found
    row |= {"audit_entries": found["entries"], "audit_fill_s": fill_s, "verify_s": seconds,
            "verify_peak_mb": peak}  # fmt: skip
    print(
        f"  {backend}: verified {found['entries']:,} audit entries in {seconds:.1f} s", flush=True
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=1_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    backends = args.backends.split(",")
    load_before = os.getloadavg()
    pg: dict[str, str] = {}
    if "postgresql" in backends:
        pg = start_postgres()
        if not pg.get("JALUR_TEST_PG_URL"):
            print("PostgreSQL could not be started (scripts/ensure-postgres.sh): skipped")
            backends.remove("postgresql")
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="jalur-bench-cases-") as folder:
            for backend in backends:
                results[backend] = run_backend(backend, Path(folder), args,
                                               pg.get("JALUR_TEST_PG_URL"))  # fmt: skip
    finally:
        if pg.get("JALUR_TEST_PG_DIR"):
            subprocess.run(["bash", "scripts/ensure-postgres.sh", "stop", pg["JALUR_TEST_PG_DIR"]],
                           cwd=ROOT, check=False, capture_output=True)  # fmt: skip
    load_after = os.getloadavg()
    print_table(results, load_before, load_after)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"results": results, "loadavg_before": load_before,
                                   "loadavg_after": load_after}, indent=2) + "\n")  # fmt: skip


def print_table(
    results: dict[str, Any], before: tuple[float, ...], after: tuple[float, ...]
) -> None:
    print()
    print(f"{'database':<11} {'what':<34} {'seconds':>9} {'per item':>10} {'peak RSS':>9}")
    for backend, r in results.items():
        lines = [
            (f"open {r['cases']:,} cases from alerts", r["open_s"], r["cases"], r["open_peak_mb"]),
            (f"generate {r['reports']:,} goAML reports", r["report_s"], r["reports"],
             r["report_peak_mb"]),
            (f"audit verify {r['audit_entries']:,} entries", r["verify_s"], r["audit_entries"],
             r["verify_peak_mb"]),
        ]  # fmt: skip
        for what, seconds, items, peak in lines:
            per = f"{seconds / items * 1000:.2f} ms" if items else "-"
            print(f"{backend:<11} {what:<34} {seconds:>9.1f} {per:>10} {peak:>6.0f} MB")
        floor = "under" if r["verify_s"] < 60 else "OVER"
        print(
            f"{'':<11} (audit verify {floor} the 60 s floor; {r['reports']:,} reports "
            f"{r['report_bytes'] / 1e6:.1f} MB; propose+approve {r['decide_s']:.1f} s)"
        )
    print(
        f"load average (1, 5, 15 min): before {fmt(before)}, after {fmt(after)}; "
        f"{os.cpu_count()} CPUs"
    )


def fmt(load: tuple[float, ...]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


if __name__ == "__main__":
    main()
