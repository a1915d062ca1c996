"""Verifying the audit trail and sealing its head with the agency's key.

The hash chain catches an edit by someone who cannot recompute hashes; seals (Ed25519 signatures
over a head, kept in the database and in the workspace's seals file) catch the rest: a rewritten
chain, a cut tail, a database put back from an older copy. This module takes the keys and the
signing function from its caller, so it needs no knowledge of agencies or passphrases.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select

from jalur.audit.trail import CHAIN, AuditEntry, AuditError, entries, head
from jalur.chain import (
    ChainReport,
    Link,
    Seal,
    SealKey,
    append_seal_file,
    file_seals,
    make_seal,
    verify_stream,
)
from jalur.sqlstore import snapshot
from jalur.sqlstore.schema import audit_seals


def database_seals(con: Connection) -> list[Seal]:
    rows = con.execute(
        select(
            audit_seals.c.chain,
            audit_seals.c.seq,
            audit_seals.c.hash,
            audit_seals.c.sealed_at,
            audit_seals.c.key_id,
            audit_seals.c.signature,
        )
        .where(audit_seals.c.chain == CHAIN)
        .order_by(audit_seals.c.seq, audit_seals.c.sealed_at)
    ).all()
    return [Seal(*row) for row in rows]


def check_trail(engine: Engine, keys: Iterable[SealKey], seals_file: Path) -> ChainReport:
    """Every entry's hash and link, the head row, each seal (database and file) and its key.

    Checks share the seals' lock, so no seal is half written (in the file, not yet in the
    database) while the two are compared."""
    with _seals_lock(seals_file, fcntl.LOCK_SH):
        return _check(engine, keys, seals_file)


def _check(engine: Engine, keys: Iterable[SealKey], seals_file: Path) -> ChainReport:
    in_file, problems = file_seals(seals_file, CHAIN)
    with snapshot(engine) as con:
        in_database = database_seals(con)
        report = verify_stream(
            CHAIN, _links(entries(con)), in_database, in_file, list(keys), problems
        )
        recorded = head(con)
    report.problems += _head_problems(recorded, report)
    return report


def seal_trail(
    engine: Engine, keys: Iterable[SealKey], key_id: str, sign: Callable[[bytes], bytes],
    seals_file: Path,
) -> Seal | None:  # fmt: skip
    """Sign the newest entry; None when nothing is new since the last seal.

    Refuses to seal a trail that does not verify: the seal would vouch for the tampering.
    One seal at a time (the seals' lock), and no check meanwhile: a seal is written to the
    file, then to the database, and a check between the two would call it tampering.
    """
    with _seals_lock(seals_file, fcntl.LOCK_EX):
        return _seal(engine, keys, key_id, sign, seals_file)


def _seal(
    engine: Engine, keys: Iterable[SealKey], key_id: str, sign: Callable[[bytes], bytes],
    seals_file: Path,
) -> Seal | None:  # fmt: skip
    report = _check(engine, keys, seals_file)
    if not report.intact:
        raise AuditError(f"the audit trail is not sealed: {report.problems[0]}")
    if report.head is None or report.unsealed == 0:
        return None
    seal = make_seal(CHAIN, report.entries, report.head, key_id, sign)
    append_seal_file(seals_file, seal)
    with engine.begin() as con:
        con.execute(
            insert(audit_seals).values(
                chain=seal.chain,
                seq=seal.seq,
                hash=seal.hash,
                sealed_at=seal.at,
                key_id=seal.key_id,
                signature=seal.signature,
            )
        )
    return seal


@contextmanager
def _seals_lock(seals_file: Path, mode: int) -> Iterator[None]:
    """The workspace's lock on its seals (a file beside the seals file, 0600): shared by
    checks, held alone by a sealer; it orders threads and processes alike.

    A check makes nothing: it takes the lock when the lock file or the seals file exists (a
    trail never sealed has no seal to half write), so checking a trail against a seals file
    that is not there creates no file and no folder. Where the lock file cannot be opened (a
    read-only workspace, append-only storage), seals and checks go on without it."""
    lock_file = seals_file.with_name(seals_file.name + ".lock")
    sealing = mode == fcntl.LOCK_EX
    flags = os.O_RDWR | (os.O_CREAT if sealing or seals_file.exists() else 0)
    try:
        if sealing:
            lock_file.parent.mkdir(parents=True, exist_ok=True)  # the seal will write there
        fd = os.open(lock_file, flags, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _links(stream: Iterable[AuditEntry]) -> Iterator[Link]:
    for entry in stream:
        yield entry.link()


def _head_problems(recorded: tuple[int, str] | None, report: ChainReport) -> list[str]:
    if recorded is None:
        return ["the audit head row was deleted"]
    seq, digest = recorded
    if seq == report.entries and (seq == 0 or digest == report.head):
        return []
    return [
        f"the audit head records entry {seq} but the trail ends at entry {report.entries}: "
        "entries were removed from the end or the head was altered"
    ]
