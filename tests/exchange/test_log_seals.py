"""Signed heads of the exchange log: rewriting, truncating or rolling back the log is detected.

Each attack is what someone who can write the workspace database can do without the agency's
passphrase: change `exchange_log` rows and recompute every hash, delete rows, put an older copy
of the database file back. The hash chain alone says "intact" for all of them (asserted below
with `verify_log`); the seals do not.
"""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from exchange_agencies import Agency
from typer.testing import CliRunner

from jalur.cli import app
from jalur.exchange import ExchangeError, rotate_keys
from jalur.exchange.chain import GENESIS, Seal, make_seal, record_seal
from jalur.exchange.log import (
    CHAIN,
    LogEntry,
    append,
    check_log,
    entry_hash,
    read_log,
    seal_head,
    verify_log,
)
from jalur.store import Store

runner = CliRunner()


def _operate(agency: Agency, seals: Path, count: int, *, seal: bool = True) -> None:
    """`count` exchange operations, each followed by a seal as the commands do."""
    for _ in range(count):
        n = len(read_log(agency.store)) + 1
        append(agency.store, "export", "rosfinmonitoring", f"pkg-{n}", {"entities": n})
        if seal:
            seal_head(agency.store, agency.identity, agency.passphrase, seals)


def _problems(agency: Agency, seals: Path) -> str:
    return " | ".join(check_log(agency.store, agency.identity, seals).problems)


def _rewrite(
    store: Store, keep: list[LogEntry], edit: Callable[[dict[str, Any]], dict[str, Any]] | None
) -> None:
    """What an attacker with write access does: new rows, every hash recomputed, no key needed."""
    store.execute("DELETE FROM exchange_log")
    prev = GENESIS
    for seq, entry in enumerate(keep, start=1):
        detail = edit(entry.detail) if edit and seq == 2 else entry.detail
        digest = entry_hash(
            seq, entry.at, entry.action, entry.partner, entry.package_id, detail, prev
        )
        store.execute(
            "INSERT INTO exchange_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                seq,
                entry.at,
                entry.action,
                entry.partner,
                entry.package_id,
                json.dumps(detail),
                prev,
                digest,
            ],
        )
        prev = digest


@pytest.fixture
def ppatk(agencies: tuple[Agency, Agency, Agency]) -> Agency:
    return agencies[0]


@pytest.fixture
def seals(ppatk: Agency) -> Path:
    return ppatk.home / "audit-seals.jsonl"


def test_a_sealed_log_verifies_and_names_its_unsealed_tail(ppatk: Agency, seals: Path) -> None:
    _operate(ppatk, seals, 3)
    assert seal_head(ppatk.store, ppatk.identity, ppatk.passphrase, seals) is None  # nothing new
    _operate(ppatk, seals, 2, seal=False)
    report = check_log(ppatk.store, ppatk.identity, seals)
    assert report.intact, report.problems
    assert report.newest_seal is not None and report.newest_seal.seq == 3
    assert (report.entries, report.unsealed) == (5, 2)
    assert (report.seals_in_database, report.seals_in_file) == (3, 3)
    assert stat.S_IMODE(seals.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in seals.read_text().splitlines()]
    assert [s["seq"] for s in lines] == [1, 2, 3]
    assert {s["key_id"] for s in lines} == {ppatk.identity.active.key_id}


def test_deleting_an_entry_and_recomputing_the_rest_is_detected(ppatk: Agency, seals: Path) -> None:
    _operate(ppatk, seals, 4)
    entries = read_log(ppatk.store)
    _rewrite(ppatk.store, [entries[0], *entries[2:]], None)
    assert verify_log(read_log(ppatk.store)) is None  # the hash chain alone is fooled
    problems = _problems(ppatk, seals)
    assert "entry 2 does not match the seal of entry 2" in problems
    assert "the chain was rewritten at or before entry 2" in problems
    assert "the seal of entry 4" in problems and "points past the end of the chain" in problems


def test_dropping_the_tail_is_detected(ppatk: Agency, seals: Path) -> None:
    _operate(ppatk, seals, 4)
    ppatk.store.execute("DELETE FROM exchange_log WHERE seq > 2")
    assert verify_log(read_log(ppatk.store)) is None
    problems = _problems(ppatk, seals)
    assert "points past the end of the chain (last entry 2)" in problems
    assert "entries were removed from the end" in problems


def test_editing_an_entry_is_detected_with_or_without_recomputed_hashes(
    ppatk: Agency, seals: Path
) -> None:
    _operate(ppatk, seals, 3)
    ppatk.store.execute(
        "UPDATE exchange_log SET detail = ? WHERE seq = 2", [json.dumps({"entities": 0})]
    )
    assert "entry 2 was altered (its hash does not match its content)" in _problems(ppatk, seals)
    entries = read_log(ppatk.store)
    _rewrite(ppatk.store, entries, lambda detail: {**detail, "entities": 0})
    assert verify_log(read_log(ppatk.store)) is None
    assert "entry 2 does not match the seal of entry 2" in _problems(ppatk, seals)


def test_a_seal_forged_with_another_key_is_detected(
    agencies: tuple[Agency, Agency, Agency], seals: Path
) -> None:
    ppatk, _, austrac = agencies
    _operate(ppatk, seals, 3)
    entries = read_log(ppatk.store)
    _rewrite(ppatk.store, entries[:2], None)  # drop the tail, then cover it with a fresh seal
    ppatk.store.execute("DELETE FROM audit_seals")
    seals.unlink()
    other = austrac.identity.unlock(austrac.identity.active.key_id, austrac.passphrase)
    head = read_log(ppatk.store)[-1]
    record_seal(ppatk.store, seals, make_seal(CHAIN, 2, head.hash, other.key_id, other.sign_bytes))
    assert "is not signed by any key of this agency" in _problems(ppatk, seals)
    # the same signature under PPATK's key id does not verify either
    ppatk.store.execute("DELETE FROM audit_seals")
    seals.unlink()
    forged = make_seal(CHAIN, 2, head.hash, other.key_id, other.sign_bytes)
    claimed = Seal(CHAIN, 2, head.hash, forged.at, ppatk.identity.active.key_id, forged.signature)
    record_seal(ppatk.store, seals, claimed)
    assert "has a signature that key" in _problems(ppatk, seals)
    assert "does not verify: forged or altered" in _problems(ppatk, seals)


def test_restoring_an_older_copy_of_the_database_is_detected(
    ppatk: Agency, seals: Path, tmp_path: Path
) -> None:
    database = ppatk.home / "jalur.duckdb"
    _operate(ppatk, seals, 2)
    ppatk.store.close()
    shutil.copyfile(database, tmp_path / "backup.duckdb")
    ppatk.store = Store(database)
    _operate(ppatk, seals, 2)
    ppatk.store.close()
    shutil.copyfile(tmp_path / "backup.duckdb", database)
    ppatk.store = Store(database)
    assert verify_log(read_log(ppatk.store)) is None
    problems = _problems(ppatk, seals)
    assert "the seals file holds 2 seal(s) the database does not (newest at entry 4)" in problems
    assert "the database was rolled back" in problems


def test_deleting_the_seals_file_or_the_seals_table_is_detected(ppatk: Agency, seals: Path) -> None:
    _operate(ppatk, seals, 2)
    kept = seals.read_text()
    seals.unlink()
    assert "the database holds 2 seal(s) the seals file does not" in _problems(ppatk, seals)
    seals.write_text(kept)
    ppatk.store.execute("DELETE FROM audit_seals")
    assert "the seals file holds 2 seal(s) the database does not" in _problems(ppatk, seals)
    seals.write_text(kept + "not a seal\n")
    assert "line 3 is not a seal" in _problems(ppatk, seals)


def test_seals_of_retired_keys_still_verify_and_a_broken_log_is_not_sealed(
    ppatk: Agency, seals: Path
) -> None:
    _operate(ppatk, seals, 2)
    old = ppatk.identity.active.key_id
    rotate_keys(ppatk.identity, ppatk.passphrase)
    _operate(ppatk, seals, 1)
    report = check_log(ppatk.store, ppatk.identity, seals)
    assert report.intact, report.problems
    assert report.newest_seal is not None and report.newest_seal.key_id != old
    ppatk.store.execute("DELETE FROM exchange_log WHERE seq = 3")
    append(ppatk.store, "export", "x", "pkg-x", {})
    with pytest.raises(ExchangeError, match=r"the exchange log is not sealed: .*entry 3"):
        seal_head(ppatk.store, ppatk.identity, ppatk.passphrase, seals)


def _cli(home: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return " ".join((result.stdout + result.stderr).split())


def test_commands_seal_the_log_and_verify_fails_on_a_rolled_back_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", "log seal test passphrase")
    home = tmp_path / "ppatk"
    _cli(home, "agency", "init", "--name", "PPATK", "--country", "ID")
    junk = tmp_path / "junk.pkg"
    junk.write_bytes(b"not a package")
    _cli(home, "exchange", "import", str(junk), code=1)  # rejected, logged, sealed
    shutil.copyfile(home / "jalur.duckdb", tmp_path / "backup.duckdb")
    _cli(home, "exchange", "import", str(junk), code=1)
    state = json.loads(
        runner.invoke(app, ["--home", str(home), "exchange", "log", "--json"]).stdout
    )
    assert state["intact"] and state["seals"]["unsealed_tail"] == 0
    assert state["seals"]["newest_seal"]["seq"] == 2
    assert (home / "audit-seals.jsonl").exists()
    assert "chain: intact" in _cli(home, "exchange", "log", "--verify")

    shutil.copyfile(tmp_path / "backup.duckdb", home / "jalur.duckdb")
    out = _cli(home, "exchange", "log", "--verify", code=1)
    assert "the seals file holds 1 seal(s) the database does not" in out
    assert "points past the end of the chain (last entry 1)" in out


def test_log_seal_signs_an_unsealed_tail(
    ppatk: Agency, seals: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _operate(ppatk, seals, 2, seal=False)
    ppatk.store.close()
    monkeypatch.setenv("JALUR_PASSPHRASE", ppatk.passphrase)
    assert "unsealed tail: 2 entries" in _cli(ppatk.home, "exchange", "log", "--verify")
    out = _cli(ppatk.home, "exchange", "log", "--seal", "--verify")
    assert "sealed entry 2 with key" in out and "unsealed tail" not in out
    ppatk.store = Store(ppatk.home / "jalur.duckdb")
