"""The stream's durable state: one SQLite file in the workspace, written once per batch.

It holds the payments inside the window horizon (replayed into the window index after a
restart), the decision per payment key (so a repeated message gets its first answer), the
alerts raised, and the counters that outlive the windows. A batch of decisions is one SQLite
transaction: a process killed at any moment leaves every batch whole or absent (WAL journal),
and the message broker is acknowledged only after the commit. A batch costs a handful of
statements, not a handful per payment: the stream's latency is mostly the time a payment waits
for the batch before it, so every statement per payment is paid by the payments behind it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jalur.stream.config import SYNCHRONOUS
from jalur.stream.decide import Decision
from jalur.stream.payment import Payment

_DDL = (
    """CREATE TABLE IF NOT EXISTS payments (tx_id TEXT PRIMARY KEY, ts INTEGER NOT NULL,
       body TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS payments_ts ON payments (ts)",
    """CREATE TABLE IF NOT EXISTS decisions (key TEXT PRIMARY KEY, seq INTEGER NOT NULL,
       tx_id TEXT NOT NULL, decision TEXT NOT NULL, body TEXT NOT NULL,
       published INTEGER NOT NULL DEFAULT 0, ts INTEGER NOT NULL DEFAULT 0, digest TEXT)""",
    """CREATE TABLE IF NOT EXISTS alerts (alert_id TEXT PRIMARY KEY, typology TEXT NOT NULL,
       tx_id TEXT NOT NULL, body TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value TEXT NOT NULL,
       ts INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS counters_ts ON counters (ts)",
)


log = logging.getLogger(__name__)

#: Seconds between two checkpoints of the write-ahead log (see `_Checkpointer`).
CHECKPOINT_EVERY = 0.5

#: Aged-out decisions forgotten per batch at most: a batch's transaction stays short even
#: when a long-stopped consumer restarts on a year of decisions (inserts per batch are fewer,
#: so the backlog still drains).
FORGET_PER_BATCH = 2_000

#: Keys per `IN (…)` lookup (SQLite allows 32,766 variables; small lists plan well).
LOOKUP_CHUNK = 500

#: One decided payment as a batch stores it: the payment, its decision, the decision's JSON
#: (encoded once: the broker publishes the same text).
Decided = tuple[Payment, Decision, str]


class StateInUseError(Exception):
    """Another process writes the same state file (`hold_consumer`)."""


class ConsumerLock:
    """The one writer's hold on a state file: an exclusive `flock` on a file beside it,
    which holds the holder's pid. The operating system lets go of it when the process ends,
    however it ends, so a crashed writer blocks no one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def take(self) -> ConsumerLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise StateInUseError(
                f"another `jalur stream run` or `jalur serve`{who} is already consuming into "
                f"{self.path.parent}; one writer of the stream state per workspace (stop it "
                "first)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file lets go of the lock
            self._fd = None

    def __enter__(self) -> ConsumerLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def hold_consumer(state: Path | str) -> ConsumerLock:
    """Claim the state file `state` for this process, or raise `StateInUseError` naming the
    process that holds it.

    Two `jalur stream run` on one workspace both consumed and wrote the same state, each with
    its own windows in memory; so did a `jalur serve` deciding payments beside a `jalur stream
    run` (only the consumer claimed the file). Every `StateStore` on a file now holds it."""
    return ConsumerLock(Path(f"{state}.consumer")).take()


class StateStore:
    """The SQLite file behind one decider: one writing process at a time, which holds the
    file's lock (`hold_consumer`) from open to close. `writer`: the lock where the caller took
    it already (`jalur stream run` claims the file before it reads the workspace); the store
    lets go of it when it closes."""

    def __init__(
        self, path: Path | str, synchronous: str = "normal", writer: ConsumerLock | None = None
    ) -> None:
        if synchronous.lower() not in SYNCHRONOUS:
            raise ValueError(
                f"synchronous must be one of {', '.join(SYNCHRONOUS)}, not {synchronous!r}"
            )
        self.path = str(path)
        self._writer = writer
        if self.path != ":memory:" and writer is None:
            self._writer = hold_consumer(self.path)
        try:
            self._open(synchronous)
        except BaseException:
            self._let_go()
            raise

    def _let_go(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def _open(self, synchronous: str) -> None:
        self.con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.con.execute("PRAGMA journal_mode=WAL")
        # NORMAL (the default): a commit survives the process being killed (the log is in the
        # OS's hands) but not a power cut; FULL: it survives both (docs/realtime.md)
        self.con.execute(f"PRAGMA synchronous={synchronous.upper()}")
        for statement in _DDL:
            self.con.execute(statement)
        self._dated_decisions()
        # the decision order, counted here: MAX(seq) over an unindexed, ever-growing table
        # was a full scan per batch (one process writes a state file at a time)
        self._seq = int(
            self.con.execute("SELECT COALESCE(MAX(seq), 0) FROM decisions").fetchone()[0]
        )
        # the log is copied into the file beside the writer, not by the commit that fills it;
        # the thread that does it starts with the first write (a process that only reads, or
        # forks before it writes, as the benchmark does, has no thread to fork)
        self.con.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpoints: _Checkpointer | None = None

    def _dated_decisions(self) -> None:
        """Give the decisions of a state file written before they carried their payment's time
        that time (or the newest payment's, where the payment aged out), so the retention
        below keeps them their full span instead of forgetting them at once."""
        columns = [row[1] for row in self.con.execute("PRAGMA table_info(decisions)")]
        if "ts" not in columns:
            self.con.execute("ALTER TABLE decisions ADD COLUMN ts INTEGER NOT NULL DEFAULT 0")
            self.con.execute(
                """UPDATE decisions SET ts = COALESCE(
                     (SELECT p.ts FROM payments p WHERE p.tx_id = decisions.tx_id),
                     (SELECT MAX(ts) FROM payments), 0)"""
            )
        self.con.execute("CREATE INDEX IF NOT EXISTS decisions_ts ON decisions (ts)")
        if "digest" not in columns:  # a file from before digests
            self.con.execute("ALTER TABLE decisions ADD COLUMN digest TEXT")

    def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self.con.close()
        self._let_go()

    def decision(self, key: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT body FROM decisions WHERE key = ?", (key,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def decisions_of(self, keys: Sequence[str]) -> dict[str, tuple[dict[str, Any], str | None]]:
        """The stored decisions on any of `keys` (a batch asks once, not once per payment),
        each with the digest of the message it decided (None: stored before digests)."""
        found: dict[str, tuple[dict[str, Any], str | None]] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = list(keys[start : start + LOOKUP_CHUNK])
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, body, digest FROM decisions WHERE key IN ({marks})"
            for key, body, digest in self.con.execute(query, chunk):
                found[str(key)] = (dict(json.loads(body)), digest)
        return found

    def counters(self) -> dict[str, tuple[Any, int]]:
        """Every counter with the time of the payment that last changed it."""
        rows = self.con.execute("SELECT key, value, ts FROM counters")
        return {k: (json.loads(v), int(ts)) for k, v, ts in rows}

    def payments_since(self, ts: int) -> Iterator[Payment]:
        rows = self.con.execute("SELECT body FROM payments WHERE ts >= ? ORDER BY ts, tx_id", (ts,))
        for (body,) in rows:
            yield Payment(**json.loads(body))

    def watermark(self) -> int:
        row = self.con.execute("SELECT MAX(ts) FROM payments").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def save(
        self, done: Sequence[Decided], forget_before: int, counters_before: int,
        decisions_before: int = 0, kept_out: Mapping[str, int] | None = None,
    ) -> None:  # fmt: skip
        """Write a batch of decided payments in one transaction; forget what aged out: payments
        out of the windows, counters unchanged for long, and published decisions on payments
        older than `decisions_before` (a message repeated later than that is decided again;
        an unpublished decision is kept until it is published, whatever its age). `kept_out`:
        payments (by id) decided outside the windows, not stored among their payments, each
        with the time its decision is dated by instead of the payment's."""
        kept_out = kept_out or {}
        if self._checkpoints is None and self.path != ":memory:":
            self._checkpoints = _Checkpointer(self.path)
            self._checkpoints.start()
        con, seq = self.con, self._seq
        payments, decisions, alerts, counters = [], [], [], []
        for payment, decided, text in done:
            seq += 1
            dated = kept_out.get(payment.tx_id)
            if dated is None:
                payments.append((payment.tx_id, payment.ts, json.dumps(payment.as_row())))
            ts = payment.ts if dated is None else dated
            decisions.append(
                (decided.key, seq, decided.tx_id, decided.decision, text, ts, payment.digest)
            )
            alerts += [
                (a["alert_id"], a["typology"], decided.tx_id, json.dumps(a)) for a in decided.alerts
            ]
            counters += [(k, json.dumps(v), payment.ts) for k, v in decided.writes.items()]
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany("INSERT OR IGNORE INTO payments VALUES (?, ?, ?)", payments)
            con.executemany(
                """INSERT OR IGNORE INTO decisions (key, seq, tx_id, decision, body, ts, digest)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                decisions,
            )
            con.executemany("INSERT OR IGNORE INTO alerts VALUES (?, ?, ?, ?)", alerts)
            con.executemany("INSERT OR REPLACE INTO counters VALUES (?, ?, ?)", counters)
            con.execute("DELETE FROM payments WHERE ts < ?", (forget_before,))
            con.execute("DELETE FROM counters WHERE ts < ?", (counters_before,))
            con.execute(
                """DELETE FROM decisions WHERE rowid IN (SELECT rowid FROM decisions
                   WHERE ts < ? AND published = 1 LIMIT ?)""",
                (decisions_before, FORGET_PER_BATCH),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._seq = seq

    def published(self, key: str) -> bool:
        """Whether the decision on `key` was published and the broker confirmed it."""
        row = self.con.execute("SELECT published FROM decisions WHERE key = ?", (key,)).fetchone()
        return bool(row and row[0])

    def mark_published(self, keys: Iterable[str]) -> None:
        """Record a batch's decisions as published, in one transaction (one commit, not one
        per decision)."""
        rows = [(k,) for k in keys]
        if not rows:
            return
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany("UPDATE decisions SET published = 1 WHERE key = ?", rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def alerts(self) -> list[dict[str, Any]]:
        return [
            json.loads(b) for (b,) in self.con.execute("SELECT body FROM alerts ORDER BY rowid")
        ]

    def decisions(self) -> list[dict[str, Any]]:
        return [
            json.loads(b) for (b,) in self.con.execute("SELECT body FROM decisions ORDER BY seq")
        ]


class _Checkpointer(threading.Thread):
    """Copies the write-ahead log into the database file every `CHECKPOINT_EVERY` seconds, on
    its own connection and thread.

    Left to SQLite, the commit that fills the log to 1,000 pages does the copy, with its fsyncs
    (1–20 ms each for a megabyte on the shared development machine), every few thousand
    payments, and the payments behind that batch wait for it. A PASSIVE checkpoint here never
    blocks the writer (nor the event loop: sqlite3 lets go of the GIL while it works), and the
    log stays small."""

    def __init__(self, path: str) -> None:
        super().__init__(name=f"checkpoint {path}", daemon=True)
        self.path = path
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while not self._done.wait(CHECKPOINT_EVERY):
                con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:  # the file went away under us: the writer will say so
            log.warning("stream state %s: checkpoints stopped: %s", self.path, exc)
        finally:
            con.close()
