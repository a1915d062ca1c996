"""A hash chain over any sequence of audit entries, and signed heads ("seals") that anchor it.

A hash chain alone only proves that entries were not changed *by someone who cannot recompute
hashes*: whoever can write the database can delete an entry and recompute every later hash, or
drop the tail, and the chain still verifies. A seal is the agency's Ed25519 signature over
(chain name, sequence number, that entry's hash, time, key id). A seal cannot be forged without
the agency's passphrase-protected key, and it fixes every entry up to its sequence number: a
rewritten entry no longer hashes to what was sealed, a dropped tail leaves a seal pointing past
the end. Seals are kept twice, in the database and in an append-only file outside it, so that a
database file rolled back or replaced by an older copy disagrees with the file.

This module knows nothing of what the entries say (exchange packages, the workspace's audit trail)
nor where they are stored: a caller turns its entries into `Link`s (stored and recomputed hashes)
and its keys into `SealKey`s; `verify_chain` returns a `ChainReport`. It sits below every
capability so that the exchange log and the SQL audit trail share one definition of "intact".
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jalur.canonical import b64, canonical, iso, unb64, utcnow

GENESIS = "0" * 64
SEAL_CONTEXT = b"jalur-seal-v1"


@dataclass(frozen=True)
class Link:
    """One entry as the chain sees it: where it sits, what it claims, what its content hashes to."""

    seq: int
    prev_hash: str
    hash: str
    content_hash: str


@dataclass(frozen=True)
class Seal:
    """The agency's signature over one chain's entry `seq` having hash `hash` at time `at`."""

    chain: str
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str  # base64 Ed25519 over `message()`

    def message(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return SEAL_CONTEXT + canonical(body)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Seal:
        seq = data["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError(f"seq must be an integer, not {seq!r}")
        fields = {k: data[k] for k in ("chain", "hash", "at", "key_id", "signature")}
        for name, value in fields.items():
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a string, not {value!r}")
        return cls(seq=seq, **fields)


@dataclass(frozen=True)
class SealKey:
    """A public signing key that may seal: one of the agency's own key generations."""

    key_id: str
    public: bytes  # raw Ed25519 public key
    revoked_at: str | None = None  # seals dated at or after this are not trusted

    def verifies(self, seal: Seal) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(
                unb64(seal.signature), seal.message()
            )
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass
class ChainReport:
    """What verification found: problems (any one means the chain cannot be trusted) and state."""

    chain: str
    entries: int
    head: str | None
    problems: list[str] = field(default_factory=list)
    newest_seal: Seal | None = None
    seals_in_database: int = 0
    seals_in_file: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def unsealed(self) -> int:
        """Entries after the newest valid seal: not yet protected against deletion or rewrite."""
        return self.entries - (self.newest_seal.seq if self.newest_seal else 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "entries": self.entries,
            "head": self.head,
            "intact": self.intact,
            "problems": self.problems,
            "newest_seal": self.newest_seal.as_dict() if self.newest_seal else None,
            "unsealed_tail": self.unsealed,
            "seals_in_database": self.seals_in_database,
            "seals_in_file": self.seals_in_file,
        }


def first_break(links: Sequence[Link]) -> str | None:
    """None when every entry follows the one before, else a sentence naming the first break."""
    prev = GENESIS
    for expected_seq, link in enumerate(links, start=1):
        if link.seq != expected_seq:
            return f"entry {expected_seq} is missing (found seq {link.seq})"
        if link.prev_hash != prev:
            return f"entry {link.seq} does not follow entry {link.seq - 1} (chain broken)"
        if link.content_hash != link.hash:
            return f"entry {link.seq} was altered (its hash does not match its content)"
        prev = link.hash
    return None


def make_seal(
    chain: str, seq: int, digest: str, key_id: str, sign: Callable[[bytes], bytes]
) -> Seal:
    """Sign the head: `sign` is the unlocked private key's signing function."""
    unsigned = Seal(chain, seq, digest, iso(utcnow()), key_id, "")
    return Seal(chain, seq, digest, unsigned.at, key_id, b64(sign(unsigned.message())))


def append_seal_file(path: Path, seal: Seal) -> None:
    """One JSON line, appended and flushed to disk; the file is created private (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, canonical(seal.as_dict()) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def file_seals(path: Path, chain: str) -> tuple[list[Seal], list[str]]:
    """The file's seals of one chain, and a problem for each line that is not a seal."""
    if not path.exists():
        return [], []
    seals: list[Seal] = []
    problems: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                seal = Seal.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                problems.append(f"{path} line {number} is not a seal ({exc}): the file was altered")
                continue
            if seal.chain == chain:
                seals.append(seal)
    return seals, problems


def verify_chain(
    chain: str,
    links: Sequence[Link],
    in_database: Sequence[Seal],
    in_file: Sequence[Seal],
    keys: Iterable[SealKey],
    file_problems: Sequence[str] = (),
) -> ChainReport:
    """Check hashes, every seal's signature and entry, and that database and file agree."""
    report = ChainReport(
        chain,
        entries=len(links),
        head=links[-1].hash if links else None,
        problems=list(file_problems),
        seals_in_database=len(in_database),
        seals_in_file=len(in_file),
    )
    broken = first_break(links)
    if broken:
        report.problems.append(broken)
    _check_seals(report, in_database, in_file, keys, {link.seq: link for link in links})
    return report


def verify_stream(
    chain: str,
    links: Iterable[Link],
    in_database: Sequence[Seal],
    in_file: Sequence[Seal],
    keys: Iterable[SealKey],
    file_problems: Sequence[str] = (),
) -> ChainReport:
    """`verify_chain` in one pass and constant memory, for chains of millions of entries.

    Only the entries that a seal points at are kept; the problems found are the same.
    """
    sealed_seqs = {seal.seq for seal in (*in_database, *in_file)}
    walk = _Walk()
    kept: dict[int, Link] = {}
    for link in links:
        walk.feed(link)
        if link.seq in sealed_seqs:
            kept[link.seq] = link
    report = ChainReport(
        chain,
        entries=walk.count,
        head=walk.head,
        problems=list(file_problems),
        seals_in_database=len(in_database),
        seals_in_file=len(in_file),
    )
    if walk.problem:
        report.problems.append(walk.problem)
    _check_seals(report, in_database, in_file, keys, kept)
    return report


class _Walk:
    """`first_break` one link at a time: remembers the first problem, the count and the head."""

    def __init__(self) -> None:
        self.count = 0
        self.head: str | None = None
        self.problem: str | None = None
        self._prev = GENESIS

    def feed(self, link: Link) -> None:
        self.count += 1
        self.head = link.hash
        if self.problem is None:
            self.problem = self._check(link)
        self._prev = link.hash

    def _check(self, link: Link) -> str | None:
        if link.seq != self.count:
            return f"entry {self.count} is missing (found seq {link.seq})"
        if link.prev_hash != self._prev:
            return f"entry {link.seq} does not follow entry {link.seq - 1} (chain broken)"
        if link.content_hash != link.hash:
            return f"entry {link.seq} was altered (its hash does not match its content)"
        return None


def _check_seals(
    report: ChainReport,
    in_database: Sequence[Seal],
    in_file: Sequence[Seal],
    keys: Iterable[SealKey],
    links: Mapping[int, Link],
) -> None:
    """Every seal's signature and entry (`links`: the sealed entries by seq, at least), and
    whether database and file hold the same seals; the newest valid seal."""
    by_key = {k.key_id: k for k in keys}
    valid: list[Seal] = []
    for seal in sorted(set(in_database) | set(in_file), key=lambda s: (s.seq, s.at)):
        problem = _seal_problem(seal, by_key, links, report.entries)
        if problem:
            report.problems.append(problem)
        else:
            valid.append(seal)
    report.problems += _disagreements(set(in_database), set(in_file))
    report.newest_seal = max(valid, key=lambda s: (s.seq, s.at), default=None)


def _seal_problem(
    seal: Seal, keys: Mapping[str, SealKey], links: Mapping[int, Link], length: int
) -> str | None:
    where = f"the seal of entry {seal.seq} made {seal.at}"
    key = keys.get(seal.key_id)
    if key is None:
        return f"{where} is not signed by any key of this agency (key {seal.key_id}): forged"
    if not key.verifies(seal):
        return f"{where} has a signature that key {seal.key_id} does not verify: forged or altered"
    if key.revoked_at is not None and seal.at >= key.revoked_at:
        return f"{where} is signed by key {seal.key_id} after it was revoked ({key.revoked_at})"
    link = links.get(seal.seq)
    if link is None:
        return (
            f"{where} points past the end of the chain (last entry {length}): entries were "
            "removed from the end, or the database was rolled back to an older copy"
        )
    if link.hash != seal.hash:
        return (
            f"entry {seal.seq} does not match {where} (sealed hash {seal.hash[:16]}…, now "
            f"{link.hash[:16]}…): the chain was rewritten at or before entry {seal.seq}"
        )
    return None


def _disagreements(in_database: set[Seal], in_file: set[Seal]) -> list[str]:
    problems = []
    only_file = in_file - in_database
    only_database = in_database - in_file
    if only_file:
        newest = max(s.seq for s in only_file)
        problems.append(
            f"the seals file holds {len(only_file)} seal(s) the database does not (newest at "
            f"entry {newest}): the database was rolled back, replaced or its seals deleted"
        )
    if only_database:
        newest = max(s.seq for s in only_database)
        problems.append(
            f"the database holds {len(only_database)} seal(s) the seals file does not (newest "
            f"at entry {newest}): the seals file was truncated, replaced or deleted"
        )
    return problems
