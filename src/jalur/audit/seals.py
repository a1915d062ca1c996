"""Verifying the audit trail and sealing its head with the agency's key.

The hash chain catches an edit by someone who cannot recompute hashes; seals (Ed25519 signatures
over a head, kept in the database and in the workspace's seals file) catch the rest: a rewritten
chain, a cut tail, a database put back from an older copy. This module takes the keys and the
signing function from its caller, so it needs no knowledge of agencies or passphrases.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from jalur.audit.trail import CHAIN, AuditError, head, links
from jalur.chain import (
    ChainReport,
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


@dataclass
class TrailReport(ChainReport):
    """A check of the trail, and which part of it had its entries hashed again: entries
    from `recomputed_from` on; those before, vouched for by the seal of entry
    `recomputed_from - 1`, had their links and that seal checked (`full`: every entry)."""

    recomputed_from: int = 1
    full: bool = True

    def as_dict(self) -> dict[str, Any]:
        vouched = self.recomputed_from - 1
        return {
            **super().as_dict(),
            "checked": {
                "full": self.full,
                "recomputed": [self.recomputed_from, self.entries]
                if self.entries >= self.recomputed_from else None,
                "vouched_by_seal": [1, vouched] if vouched else None,
            },
        }  # fmt: skip

    def checked(self) -> str:
        """Which entries were hashed again, in words."""
        if self.full or self.recomputed_from == 1:
            return f"every entry hashed again (1-{self.entries})" if self.entries else "no entries"
        vouched = self.recomputed_from - 1
        tail = (f"entries {self.recomputed_from}-{self.entries} hashed again"
                if self.entries >= self.recomputed_from else "no entry after it")  # fmt: skip
        return (
            f"from the seal of entry {vouched}: {tail}; entries 1-{vouched} by their links "
            "and the seal (a full check, --full, hashes them again)"
        )


def check_trail(
    engine: Engine, keys: Iterable[SealKey], seals_file: Path, *, full: bool = True
) -> TrailReport:
    """Every entry's link, the head row, each seal (database and file) and its key; each
    entry's hash recomputed from the newest good seal on, or from the first (`full`).

    A seal fixes every entry up to it (their hashes are chained into the one it signed), so
    a routine check needs to hash again only what came after it: a year's trail was read and
    hashed whole at every check. An entry before the seal whose content was edited without
    its hash is found by the full check. Checks share the seals' lock, so no seal is half
    written (in the file, not yet in the database) while the two are compared."""
    with _seals_lock(seals_file, fcntl.LOCK_SH):
        return _check(engine, list(keys), seals_file, full)


def _check(engine: Engine, keys: list[SealKey], seals_file: Path, full: bool) -> TrailReport:
    in_file, problems = file_seals(seals_file, CHAIN)
    with snapshot(engine) as con:
        in_database = database_seals(con)
        anchor = None if full else _anchor(in_database, in_file, keys)
        start = anchor.seq + 1 if anchor else 1
        found = verify_stream(CHAIN, links(con, start), in_database, in_file, keys, problems)
        recorded = head(con)
    found.problems += _head_problems(recorded, found)
    return TrailReport(**vars(found), recomputed_from=start, full=anchor is None)


def _anchor(
    in_database: Sequence[Seal], in_file: Sequence[Seal], keys: list[SealKey]
) -> Seal | None:
    """The newest seal in both the database and the file, signed by a key of the agency not
    revoked when it sealed: what vouches for the entries up to it (None: check them all)."""
    by_key = {k.key_id: k for k in keys}
    good = [
        seal
        for seal in set(in_database) & set(in_file)
        if (key := by_key.get(seal.key_id)) is not None
        and key.verifies(seal)
        and (key.revoked_at is None or seal.at < key.revoked_at)
    ]
    return max(good, key=lambda s: (s.seq, s.at), default=None)


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
        return _seal(engine, list(keys), key_id, sign, seals_file)


def _seal(
    engine: Engine, keys: Iterable[SealKey], key_id: str, sign: Callable[[bytes], bytes],
    seals_file: Path,
) -> Seal | None:  # fmt: skip
    report = _check(engine, list(keys), seals_file, full=False)
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
