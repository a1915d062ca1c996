"""Payments keep their load; a connection narrowed to some loads sees only their payments.

The service narrows each request's connection to the loads its user sees; the command line is
the installation's own and leaves out the loads made through the service for other agencies.
"""

from __future__ import annotations

import json
from pathlib import Path

from case_story import ok, write_list, write_payments
from jalur import scope
from jalur.config import Settings
from jalur.scope import PaymentScope, own_only, restrict, unrestrict
from jalur.store import Store
from jalur.transactions import load_transactions

HEADER = "tx_id,timestamp,orig_account,orig_name,bene_account,bene_name,amount,currency\n"
#: Another agency's payments: one under an id the installation's own payments hold (T3).
OTHER = HEADER + (
    "B-1,2025-05-01T10:00:00Z,ACC-B-SRC,Bandar,ACC-B-MULE,Kurir,90000000,IDR\n"
    "B-2,2025-05-02T10:00:00Z,ACC-B-MULE,Kurir,ACC-B-DST,Penerima,85000000,IDR\n"
    "T3,2025-05-03T10:00:00Z,ACC-B-DST,Penerima,ACC-B-SRC,Bandar,1000,IDR\n"
)


def _other_agencys_load(store: Store, path: Path) -> int:
    """A load as the service makes one for BNN: on a connection that sees none of the rest."""
    restrict(store, PaymentScope.of([], unlabelled=False))
    try:
        counts = load_transactions(store, path, "csv", agency="BNN")
    finally:
        unrestrict(store)
    assert (counts.read, counts.accepted, counts.duplicates) == (3, 3, 0), counts
    return counts.load_id


def _ids(store: Store) -> list[tuple[str, int | None]]:
    return store.execute(
        "SELECT tx_id, load_id FROM transactions ORDER BY tx_id, load_id"
    ).fetchall()


def test_a_narrowed_connection_sees_and_deduplicates_only_its_loads(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text(OTHER, encoding="utf-8")
    with Store(tmp_path / "w.duckdb") as store:
        own = load_transactions(store, write_payments(tmp_path), "csv").load_id
        theirs = _other_agencys_load(store, other)
        assert [i for i, load in _ids(store) if i == "T3"] == ["T3", "T3"]  # two records
        restrict(store, PaymentScope.of([theirs], unlabelled=False))
        assert {load for _, load in _ids(store)} == {theirs}
        again = load_transactions(store, other, "csv", agency="BNN")
        assert (again.accepted, again.duplicates) == (0, 3)  # its own, seen
        parties = store.execute("SELECT DISTINCT account FROM tx_parties ORDER BY 1").fetchall()
        assert [p[0] for p in parties] == ["ACC-B-DST", "ACC-B-MULE", "ACC-B-SRC"]
        unrestrict(store)
        own_only(store)
        assert {load for _, load in _ids(store)} == {own}
        assert not store.execute(
            "SELECT count(*) FROM tx_parties WHERE account LIKE 'ACC-B-%'"
        ).fetchone()[0]  # type: ignore[index]


def test_the_command_line_loads_and_monitors_the_installations_own_payments(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    settings = Settings.resolve(home)
    mine = write_payments(tmp_path)
    loaded = json.loads(ok(settings, "tx", "load", str(mine), "--format", "csv", "--json"))
    assert loaded["accepted"] == 4
    other = tmp_path / "other.csv"
    other.write_text(OTHER, encoding="utf-8")
    with Store.open(settings) as store:
        _other_agencys_load(store, other)
    again = json.loads(ok(settings, "tx", "load", str(mine), "--format", "csv", "--json"))
    assert (again["accepted"], again["duplicates"]) == (0, 4)  # its own T3, not BNN's
    run = json.loads(ok(settings, "monitor", "run", "--json"))
    assert run["payments"] == 4, run  # BNN's three are not the command line's to monitor
    out = tmp_path / "alerts.csv"
    ok(settings, "alerts", "export", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "ACC-MULE" in text and "ACC-B-" not in text


def test_readers_in_batches_see_only_the_narrowed_payments(tmp_path: Path) -> None:
    """A cursor is a connection of its own, and the narrowing views are per connection: the
    readers that fetch in batches (parties to screen, parties and payments to export) take a
    cursor narrowed as their store is (`scope.cursor`), or they would read every agency's."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    settings = Settings.resolve(home)
    ok(settings, "tx", "load", str(write_payments(tmp_path)), "--format", "csv")
    ok(settings, "lists", "load", str(write_list(tmp_path)), "--format", "ftm", "--name", "dttot")
    other = tmp_path / "other.csv"
    other.write_text(OTHER, encoding="utf-8")
    with Store.open(settings) as store:
        theirs = _other_agencys_load(store, other)
        restrict(store, PaymentScope.of([theirs], unlabelled=False))
        narrowed = scope.cursor(store)
        found = narrowed.execute("SELECT DISTINCT tx_id FROM transactions ORDER BY 1").fetchall()
        assert [r[0] for r in found] == ["B-1", "B-2", "T3"]
    exported = tmp_path / "parties.ftm.json"
    ok(settings, "tx", "export", "--payments", "--out", str(exported))
    text = exported.read_text(encoding="utf-8")
    assert "ACC-MULE" in text and "ACC-B-" not in text and "Bandar" not in text
    screened = json.loads(ok(settings, "screen", "parties", "--json"))
    assert screened["parties"] == 5, screened  # the story's five, none of BNN's three
