"""The workspace audit trail: every edit, deletion, reordering and truncation is detected.

Each attack is what someone who can write the database (or an exported copy) does without the
agency's key: change a row, delete rows, swap rows, cut the tail, or rewrite it all with fresh
hashes. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Engine, delete, update

from jalur.audit import (
    CHAIN,
    AuditError,
    check_trail,
    entries,
    entry_hash,
    export_trail,
    record,
    seal_trail,
    verify_export,
)
from jalur.chain import GENESIS, SealKey
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import audit_head, audit_log


class Signer:
    """An agency key for the tests (the real one is unlocked from exchange's identity)."""

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key = SealKey("test-key", public)

    def seal(self, engine: Engine, seals: Path) -> None:
        seal_trail(engine, [self.key], self.key.key_id, self.private.sign, seals)


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _fill(engine: Engine, count: int) -> None:
    for n in range(1, count + 1):
        record(engine, "ana", "case.comment", f"CASE-{n % 2}", {"n": n, "text": "ĐŽ كلمة"})


def _problems(engine: Engine, signer: Signer, seals: Path) -> str:
    return " | ".join(check_trail(engine, [signer.key], seals).problems)


def test_an_untouched_trail_is_intact_and_filters_by_object(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, 5)
    report = check_trail(engine, [], tmp_path / "seals")
    assert report.intact, report.problems
    assert report.entries == 5
    with engine.connect() as con:
        assert [e.seq for e in entries(con, "CASE-1")] == [1, 3, 5]
        first = next(entries(con))
    assert first.prev_hash == GENESIS
    assert first.details == {"n": 1, "text": "ĐŽ كلمة"}


def test_an_edited_entry_is_named(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, 5)
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 3).values(user_name="mallory"))
    assert "entry 3 was altered" in _problems(engine, Signer(), tmp_path / "s")


def test_a_deleted_entry_is_named(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, 5)
    with engine.begin() as con:
        con.execute(delete(audit_log).where(audit_log.c.seq == 2))
    assert "entry 2 is missing" in _problems(engine, Signer(), tmp_path / "s")


def test_reordered_entries_are_detected(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, 5)
    with engine.begin() as con:  # swap the contents of entries 2 and 3, keeping their places
        con.execute(update(audit_log).where(audit_log.c.seq == 2).values(seq=-2))
        con.execute(update(audit_log).where(audit_log.c.seq == 3).values(seq=2))
        con.execute(update(audit_log).where(audit_log.c.seq == -2).values(seq=3))
    problems = _problems(engine, Signer(), tmp_path / "s")
    assert "entry 2 " in problems


def test_a_cut_tail_is_detected_by_the_head_and_by_the_seal(engine: Engine, tmp_path: Path) -> None:
    signer, seals = Signer(), tmp_path / "seals"
    _fill(engine, 5)
    signer.seal(engine, seals)
    with engine.begin() as con:
        con.execute(delete(audit_log).where(audit_log.c.seq >= 4))
    assert "the audit head records entry 5 but the trail ends at entry 3" in _problems(
        engine, signer, seals
    )
    with engine.begin() as con:  # the attacker fixes the head too: the seal still points past
        con.execute(update(audit_head).values(seq=3))
    assert "points past the end of the chain" in _problems(engine, signer, seals)


def test_a_rewritten_trail_with_fresh_hashes_is_caught_by_the_seal(
    engine: Engine, tmp_path: Path
) -> None:
    signer, seals = Signer(), tmp_path / "seals"
    _fill(engine, 4)
    signer.seal(engine, seals)
    with engine.begin() as con:
        rows = list(entries(con))
        con.execute(delete(audit_log))
        prev = GENESIS
        for e in rows:
            details = {"n": 99} if e.seq == 2 else e.details
            digest = entry_hash(e.seq, e.at, e.user, e.action, e.object, details, prev)
            con.execute(
                audit_log.insert().values(
                    seq=e.seq, at=e.at, user_name=e.user, action=e.action, object=e.object,
                    details=json.dumps(details), prev_hash=prev, hash=digest,
                )
            )  # fmt: skip
            prev = digest
        con.execute(update(audit_head).values(hash=prev))
    problems = _problems(engine, signer, seals)
    assert "the chain was rewritten at or before entry 4" in problems


def test_a_broken_trail_is_not_sealed(engine: Engine, tmp_path: Path) -> None:
    signer = Signer()
    _fill(engine, 3)
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 1).values(action="nothing"))
    with pytest.raises(AuditError, match="entry 1 was altered"):
        signer.seal(engine, tmp_path / "s")


def _export(engine: Engine, tmp_path: Path, signer: Signer) -> Path:
    _fill(engine, 5)
    signer.seal(engine, tmp_path / "seals")
    out = tmp_path / "trail.jsonl"
    assert export_trail(engine, out, None) == 5
    assert verify_export(out, lambda _card: [signer.key]).intact
    return out


def _edit_lines(path: Path, change: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if change == "edit":
        lines[3] = lines[3].replace('"ana"', '"eve"')
    elif change == "delete":
        del lines[2]
    elif change == "reorder":
        lines[2], lines[3] = lines[3], lines[2]
    elif change == "truncate":
        lines = [line for line in lines if '"seq":5' not in line or '"type":"seal"' in line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("edit", "entry 3 was altered"),
        ("delete", "entry 2 is missing"),
        ("reorder", "entry 2 is missing"),
        ("truncate", "points past the end of the chain"),
    ],
)
def test_every_change_to_an_export_is_detected(
    engine: Engine, tmp_path: Path, change: str, expected: str
) -> None:
    signer = Signer()
    out = _export(engine, tmp_path, signer)
    _edit_lines(out, change)
    report = verify_export(out, lambda _card: [signer.key])
    assert expected in " | ".join(report.problems)


def test_an_export_checked_with_another_key_is_refused(engine: Engine, tmp_path: Path) -> None:
    out = _export(engine, tmp_path, Signer())
    report = verify_export(out, lambda _card: [Signer().key])
    assert not report.intact
    assert "forged" in report.problems[0]
    assert CHAIN == "workspace-audit"
