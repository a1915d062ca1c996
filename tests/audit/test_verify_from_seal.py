"""A routine check of the trail hashes again only what came after the newest good seal.

`jalur audit verify` and `/v1/audit/verify` read and hashed the whole trail every time: on a
shared installation a year's millions of entries, for every check. A seal fixes every entry up
to it, so the default check now hashes the entries after it (checking every link and seal as
before), and says which; `--full` / `full=true` hashes them all and still finds an entry
edited before the seal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from test_trail import Signer

from jalur.audit import check_trail, entries, entry_hash, record
from jalur.chain import GENESIS
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import audit_head, audit_log


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _fill(engine: Engine, count: int) -> None:
    for n in range(count):
        record(engine, "ana", "case.comment", f"CASE-{n % 2}", {"n": n})


def _sealed_at_5_of_8(engine: Engine, tmp_path: Path) -> tuple[Signer, Path]:
    signer, seals = Signer(), tmp_path / "seals"
    _fill(engine, 5)
    signer.seal(engine, seals)
    _fill(engine, 3)
    return signer, seals


def test_the_default_check_hashes_the_entries_after_the_seal_and_says_so(
    engine: Engine, tmp_path: Path
) -> None:
    signer, seals = _sealed_at_5_of_8(engine, tmp_path)
    report = check_trail(engine, [signer.key], seals, full=False)
    assert report.intact, report.problems
    assert (report.entries, report.recomputed_from, report.full) == (8, 6, False)
    assert report.as_dict()["checked"] == {
        "full": False, "recomputed": [6, 8], "vouched_by_seal": [1, 5],
    }  # fmt: skip
    assert report.checked().startswith("from the seal of entry 5: entries 6-8 hashed again")
    whole = check_trail(engine, [signer.key], seals, full=True)
    assert whole.intact and whole.recomputed_from == 1 and whole.full
    assert whole.as_dict()["checked"] == {
        "full": True, "recomputed": [1, 8], "vouched_by_seal": None,
    }  # fmt: skip


def test_an_edit_before_the_seal_is_found_by_the_full_check(engine: Engine, tmp_path: Path) -> None:
    signer, seals = _sealed_at_5_of_8(engine, tmp_path)
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 2).values(user_name="mallory"))
    assert check_trail(engine, [signer.key], seals, full=False).intact  # the seal vouches
    whole = check_trail(engine, [signer.key], seals, full=True)
    assert "entry 2 was altered" in " | ".join(whole.problems)


def test_an_edit_after_the_seal_is_found_by_the_default_check(
    engine: Engine, tmp_path: Path
) -> None:
    signer, seals = _sealed_at_5_of_8(engine, tmp_path)
    with engine.begin() as con:
        con.execute(update(audit_log).where(audit_log.c.seq == 7).values(action="nothing"))
    report = check_trail(engine, [signer.key], seals, full=False)
    assert "entry 7 was altered" in " | ".join(report.problems)


def test_a_rewrite_before_the_seal_with_fresh_hashes_is_found_by_the_default_check(
    engine: Engine, tmp_path: Path
) -> None:
    signer, seals = _sealed_at_5_of_8(engine, tmp_path)
    with engine.begin() as con:
        rows = list(entries(con))
        prev = GENESIS
        for e in rows:
            details = {"n": 99} if e.seq == 2 else e.details
            digest = entry_hash(e.seq, e.at, e.user, e.action, e.object, details, prev)
            con.execute(
                update(audit_log).where(audit_log.c.seq == e.seq)
                .values(details=json.dumps(details), prev_hash=prev, hash=digest)
            )  # fmt: skip
            prev = digest
        con.execute(update(audit_head).values(hash=prev))
    problems = " | ".join(check_trail(engine, [signer.key], seals, full=False).problems)
    assert "the chain was rewritten at or before entry 5" in problems


def test_without_a_good_seal_every_entry_is_hashed(engine: Engine, tmp_path: Path) -> None:
    signer, seals = _sealed_at_5_of_8(engine, tmp_path)
    stranger = Signer()  # the seal is not signed by a key we are given
    report = check_trail(engine, [stranger.key], seals, full=False)
    assert report.full and report.recomputed_from == 1
    seals.unlink()  # a seal only in the database vouches for nothing
    (seals.parent / "seals.lock").unlink(missing_ok=True)
    report = check_trail(engine, [signer.key], seals, full=False)
    assert report.full and not report.intact
