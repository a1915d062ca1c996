"""Killing a load part way and running it again leaves no duplicate and loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import GeneratorConfig, LoadOptions, generate, load_transactions

SMALL_CHUNKS = LoadOptions(chunk_rows=700, block_bytes=64 * 1024)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(GeneratorConfig(transactions=6000, seed=3, csv=True), out)
    return out


def _check_complete(store: Store, expected: int) -> None:
    total, distinct = store.execute(
        "SELECT count(*), count(DISTINCT tx_id) FROM transactions"
    ).fetchone() or (0, 0)
    assert total == distinct == expected


class SimulatedCrashError(Exception):
    """Stands in for a crash between two chunks."""


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_failure_between_chunks_then_rerun(dataset: Path, store: Store, fmt: str) -> None:
    path = dataset / f"transactions.{fmt}"

    def crash_after_two(counts: object) -> None:
        crash_after_two.calls += 1  # type: ignore[attr-defined]
        if crash_after_two.calls == 2:  # type: ignore[attr-defined]
            raise SimulatedCrashError

    crash_after_two.calls = 0  # type: ignore[attr-defined]
    with pytest.raises(SimulatedCrashError):
        load_transactions(store, path, fmt, options=SMALL_CHUNKS, on_chunk=crash_after_two)
    (partial,) = store.execute("SELECT count(*) FROM transactions").fetchone() or (0,)
    assert 0 < partial < 6000
    status = store.execute("SELECT status FROM tx_loads ORDER BY load_id").fetchall()
    assert status == [("running",)]  # the interrupted load stays visible
    again = load_transactions(store, path, fmt, options=SMALL_CHUNKS)
    assert again.as_dict() == {
        "read": 6000,
        "accepted": 6000 - partial,
        "rejected": 0,
        "duplicates": partial,
    }
    _check_complete(store, 6000)


KILLED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from jalur.store import Store
    from jalur.transactions import LoadOptions, load_transactions
    store = Store(sys.argv[1])
    def progress(counts):
        print(counts.read, flush=True)
    load_transactions(store, Path(sys.argv[2]), "csv",
                      options=LoadOptions(chunk_rows=700, block_bytes=64 * 1024),
                      on_chunk=progress)
    print("done", flush=True)
""")


def test_process_killed_mid_load_then_rerun(dataset: Path, tmp_path: Path) -> None:
    database = tmp_path / "ws.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(database), str(dataset / "transactions.csv")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # one chunk committed; the next is being written
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert first.strip().isdigit(), first
    with Store(database) as store:
        (partial,) = store.execute("SELECT count(*) FROM transactions").fetchone() or (0,)
        assert 0 < partial < 6000
        again = load_transactions(store, dataset / "transactions.csv", "csv")
        assert again.duplicates == partial and again.accepted == 6000 - partial
        _check_complete(store, 6000)
