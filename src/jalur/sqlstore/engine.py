"""Which database the workspace's transactional store is, and the engine that talks to it.

A SQLite file in the workspace by default (created 0600: it holds user password hashes and case
evidence), PostgreSQL when `jalur.toml` sets `[database] url = "postgresql://…"`. Writers take
turns: on SQLite every transaction begins IMMEDIATE (a reader that later writes would otherwise
meet `database is locked` halfway), on PostgreSQL the audit head row is locked by the appender.
A SQLite file keeps a write-ahead log (WAL), so a long read (a check of a million audit
entries) sees one moment of the file while writers go on committing beside it; except on a
network file system, where WAL's shared memory is not shared (`[database] sqlite_journal`).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from jalur.config import CONFIG_FILE, SQL_FILE, ConfigError, Settings

log = logging.getLogger(__name__)
SQLITE_WAIT_S = 30.0
#: `[database] sqlite_journal`: WAL unless on a network file system, WAL, or a rollback journal.
JOURNALS = ("auto", "wal", "rollback")
#: File systems whose processes (on several machines) share no memory: no WAL there.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre",
    "gpfs", "ocfs2", "gfs2", "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "fuse.s3fs",
    "fuse.rclone", "fuse.gcsfuse", "davfs", "fuse.davfs2", "virtiofs",
})  # fmt: skip
_MOUNTS = Path("/proc/self/mounts")
READER_POOL = 40
#: The execution option by which `snapshot` asks SQLite for a read transaction (DEFERRED).
_READ_ONLY = "jalur_read_only"


def database_url(settings: Settings) -> URL:
    """`[database] url` from `jalur.toml`, else the workspace's SQLite file."""
    configured = settings.section("database").get("url")
    if configured is None:
        return URL.create("sqlite", database=str(settings.home / SQL_FILE))
    if not isinstance(configured, str) or not configured.strip():
        raise ConfigError(f"{CONFIG_FILE}: [database] url must be a database URL")
    try:
        url = make_url(configured.strip())
    except ArgumentError as exc:
        raise ConfigError(f"{CONFIG_FILE}: [database] url is not a database URL: {exc}") from exc
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")  # the driver jalur ships
    if url.get_backend_name() == "sqlite":
        return url
    raise ConfigError(
        f"{CONFIG_FILE}: [database] url must be postgresql://… or sqlite:///…, "
        f"not {url.get_backend_name()}"
    )


def sqlite_journal(settings: Settings) -> str:
    """`[database] sqlite_journal` from `jalur.toml`: auto (the default), wal or rollback."""
    chosen = settings.section("database").get("sqlite_journal", "auto")
    if not isinstance(chosen, str) or chosen.strip().lower() not in JOURNALS:
        raise ConfigError(
            f"{CONFIG_FILE}: [database] sqlite_journal must be one of {', '.join(JOURNALS)}, "
            f"not {chosen!r}"
        )
    return chosen.strip().lower()


def network_filesystem(path: Path, mounts: str | None) -> bool:
    """Whether `path` lies on a network file system, by the mount table's text (`mounts`,
    as /proc/self/mounts has it; None, not readable: taken for a local disk). The longest
    mount point above the path decides, so a local disk mounted inside a share is local."""
    if mounts is None:
        return False
    where, kind = Path("/"), ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(_unescape(fields[1]))
        if path.is_relative_to(point) and len(point.parts) >= len(where.parts):
            where, kind = point, fields[2]
    return kind in NETWORK_FILESYSTEMS


def _unescape(field: str) -> str:
    """A mount point as the kernel writes it (a space as \\040, a tab \\011, …)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _mount_table() -> str | None:
    try:
        return _MOUNTS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def make_engine(url: URL, journal: str = "auto") -> Engine:
    """An engine for `url`; a new SQLite file is created private before SQLite opens it and
    kept in the `journal` mode (`sqlite_journal`)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, journal)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: URL, journal: str) -> Engine:
    in_file = bool(url.database) and url.database != ":memory:"
    if in_file:
        _create_private(Path(str(url.database)))
    engine = create_engine(url, connect_args={"timeout": SQLITE_WAIT_S})
    wal = in_file and _wants_wal(Path(str(url.database)), journal)

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves, below
        if in_file:
            _journal_mode(dbapi_connection, wal)

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        if connection.get_execution_options().get(_READ_ONLY):
            connection.exec_driver_sql("BEGIN DEFERRED")  # a snapshot: see `snapshot`
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _wants_wal(path: Path, journal: str) -> bool:
    if journal != "auto":
        return journal == "wal"
    if network_filesystem(path.resolve(), _mount_table()):
        log.warning(
            "%s is on a network file system: a rollback journal, not WAL (whose shared memory "
            "is not shared there); set [database] sqlite_journal to choose", path,
        )  # fmt: skip
        return False
    return True


def _journal_mode(dbapi_connection: Any, wal: bool) -> None:
    """Put the file in WAL mode, or back in a rollback journal (the mode stays with the file:
    a file once WAL stays so until told otherwise).

    In SQLite's rollback-journal mode a reader's lock keeps every writer from committing until
    the read ends: a check of the audit trail longer than the writers' wait (SQLITE_WAIT_S)
    would make every analyst's action fail with `database is locked`. With a write-ahead log
    readers and the writer no longer wait for each other, but every process maps a shared
    memory file (`-shm`), which a network file system does not share between machines: there
    SQLite's WAL gives corrupt reads or I/O errors, and the rollback journal is the safe mode.
    Where the mode cannot change (a read-only file, another connection open) the file is used
    as it is."""
    try:
        dbapi_connection.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}").fetchall()
    except sqlite3.Error:
        return  # the file stays usable in the mode it has


def reader_engine(engine: Engine) -> Engine:
    """An engine for reads only, beside `engine`: on SQLite its transactions begin DEFERRED, so
    readers share the file instead of taking turns on the writers' lock (a reader never writes
    through it); on PostgreSQL it is a pool of its own, large enough for a server's threads."""
    if engine.url.get_backend_name() != "sqlite":
        # A server's request threads read at once: a pool as large as uvicorn's thread pool
        # (40), so no request waits for a connection another one holds.
        return create_engine(engine.url, pool_pre_ping=True, pool_size=READER_POOL,
                             max_overflow=0)  # fmt: skip
    readers = create_engine(engine.url, connect_args={"timeout": SQLITE_WAIT_S})

    @event.listens_for(readers, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(readers, "begin")
    def _begin_deferred(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN DEFERRED")

    return readers


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose every read sees the same moment of the database, for a check that
    reads in several statements (the audit chain, then its head; the trail, then the cases).

    On PostgreSQL each statement of a READ COMMITTED transaction sees what committed before it
    began: a check would find the head one entry past the chain it had just read whenever an
    analyst acted meanwhile, and call a busy, intact trail broken. So the snapshot is a
    REPEATABLE READ, read-only transaction. On SQLite it is a DEFERRED transaction over the
    write-ahead log: from its first read it sees one moment of the file, and writers go on
    committing meanwhile (an IMMEDIATE one would hold their lock for the whole check).
    """
    with engine.connect() as con:
        if con.dialect.name == "postgresql":
            con.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            con.execution_options(**{_READ_ONLY: True})
        with con.begin():
            yield con


def _create_private(path: Path) -> None:
    """An empty file is an empty SQLite database; SQLite's journals copy its mode (0600)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    path.chmod(0o600)
