"""Admins adding users at the same moment, on SQLite and on PostgreSQL alike.

Each test starts its adders together behind a barrier; the check (is the workspace empty, is
the name free, is the agency new) and the insert are a password hash apart, which is where
two adders met on PostgreSQL: four first admins added without signing in, and a duplicate
name or a new agency ending in the database's unique-key error instead of a refusal.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, func, select

import jalur.users.markings as markings_module
from jalur.audit import check_trail, entries
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.schema import marking_shares
from jalur.users import (
    AccessError,
    Marking,
    User,
    UserError,
    add_user,
    list_agencies,
    list_users,
    mark,
    share,
)

PW = "correct horse battery"
T = TypeVar("T")


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def _at_once(count: int, work: Callable[[int], T]) -> list[T | Exception]:
    """`work(i)` in `count` threads released together; each result or exception."""
    barrier = threading.Barrier(count)
    results: list[T | Exception] = [RuntimeError("not run")] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # every outcome is looked at
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _added(results: list[User | Exception]) -> list[User]:
    return [r for r in results if isinstance(r, User)]


def test_only_one_first_user_is_added_without_signing_in(
    engine: Engine, sql_settings: Settings
) -> None:
    results = _at_once(4, lambda i: add_user(engine, None, f"root{i}", "admin", PW))
    assert len(_added(results)) == 1
    refused = [r for r in results if not isinstance(r, User)]
    assert all(isinstance(r, AccessError | UserError) for r in refused), refused
    assert [u.name for u in list_users(engine)] == [_added(results)[0].name]
    assert check_trail(engine, [], sql_settings.seals_path).intact


def test_a_name_added_twice_at_once_is_refused_by_name(engine: Engine) -> None:
    root = add_user(engine, None, "root", "admin", PW)
    results = _at_once(4, lambda _i: add_user(engine, root, "dina", "analyst", PW))
    assert len(_added(results)) == 1
    refused = [r for r in results if not isinstance(r, User)]
    assert [str(r) for r in refused] == ["user dina exists already"] * 3


def test_users_of_a_new_agency_added_at_once_are_all_added(engine: Engine) -> None:
    root = add_user(engine, None, "root", "admin", PW)
    results = _at_once(4, lambda i: add_user(engine, root, f"bnn{i}", "analyst", PW, "BNN"))
    assert len(_added(results)) == 4, results
    assert [a["code"] for a in list_agencies(engine)].count("BNN") == 1


def _meet_after_the_check(monkeypatch: pytest.MonkeyPatch, parties: int) -> None:
    """Hold each writer of a marking between its check (is it there?) and its insert until the
    others got there too: where nothing orders them, all pass the check. A writer whose
    transaction took its turn first waits alone: the others wait for its lock, so the meeting
    is called off after a moment and it goes on (the outcome does not depend on how long)."""
    meeting = threading.Barrier(parties)
    clock = markings_module.utcnow

    def meet() -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=2)
        return clock()

    monkeypatch.setattr(markings_module, "utcnow", meet)


def test_a_record_shared_twice_at_once_is_shared_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two admins share a list with the same agency at the same moment: both are told it is
    shared (it is), the share is one row and both acts are on the trail."""
    add_user(engine, None, "root", "admin", PW)
    _meet_after_the_check(monkeypatch, 2)
    results = _at_once(2, lambda i: share(engine, "list", "ofac-sdn", "BNN", f"admin{i}", None))
    assert results == [None, None]
    with engine.connect() as con:
        rows = con.execute(select(func.count()).select_from(marking_shares)).scalar_one()
        shared = [e for e in entries(con) if e.action == "marking.share"]
    assert rows == 1
    assert len(shared) == 2


def test_a_record_marked_twice_at_once_keeps_one_marking(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(engine, None, "root", "admin", PW)
    _meet_after_the_check(monkeypatch, 2)

    def mark_it(i: int) -> Marking:
        with engine.begin() as con:
            return mark(con, "list", "exchange-x", Marking("DEFAULT", "RESTRICTED", ()), f"a{i}")

    results = _at_once(2, mark_it)
    assert all(isinstance(r, Marking) for r in results), results
    with engine.connect() as con:
        marked = [e for e in entries(con) if e.action == "marking.set"]
    assert len(marked) == 1
