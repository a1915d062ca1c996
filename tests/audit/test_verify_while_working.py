"""Checking the trail while analysts keep working: an intact trail verifies, busy or not.

A check reads in several statements (the chain, then the head row; the trail, then the cases;
an export's count, then its entries). An analyst's action may commit between two of them. Each
test lets one commit at exactly that point (a hook, no timing) and expects the check to judge
the moment it began with, and the analyst's action to go through: a check of a million entries
takes longer than any writer waits for a lock, so a check that held the writers' lock would
turn every action taken meanwhile into "database is locked". On SQLite the writers' wait is
cut to a fraction of a second, so a check that blocks them fails the test at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import jalur.audit as audit_module
import jalur.audit.export as export_module
import jalur.audit.seals as seals_module
import jalur.cases.replay as replay_module
from jalur.audit import check_trail, export_trail, record
from jalur.cases import Evidence, check_cases, comment, open_case
from jalur.cli import app
from jalur.config import Settings
from jalur.sqlstore import engine as engine_module
from jalur.sqlstore import open_database
from jalur.users import User, add_user, find_user

PW = "correct horse battery"


@pytest.fixture
def settings(sql_settings: Settings) -> Settings:
    return sql_settings


@pytest.fixture
def engine(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setattr(engine_module, "SQLITE_WAIT_S", 0.2)  # a blocked writer fails at once
    opened = open_database(settings)
    yield opened
    opened.dispose()


@pytest.fixture
def ana(engine: Engine) -> User:
    root = add_user(engine, None, "root", "admin", PW)
    return add_user(engine, root, "ana", "analyst", PW)


def test_the_chain_check_is_not_broken_by_an_entry_added_meanwhile(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(engine, "ana", "test.work", "o-1")
    walk = seals_module.verify_stream

    def then_another_analyst_acts(*args: Any, **kwargs: Any) -> Any:
        report = walk(*args, **kwargs)  # the chain is read; the head row is read next
        record(engine, "bob", "test.work", "o-2")
        return report

    monkeypatch.setattr(seals_module, "verify_stream", then_another_analyst_acts)
    report = check_trail(engine, [], settings.seals_path)
    assert report.problems == []
    assert report.intact


def test_the_case_check_is_not_misled_by_a_comment_added_meanwhile(
    engine: Engine, ana: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(engine, ana, "busy", [Evidence("alert", "A-1", {})])
    compare = replay_module._compare

    def then_ana_comments(con: Any, expected: Any) -> Any:
        comment(engine, ana, case_id, "still looking")  # after the trail was replayed
        return compare(con, expected)

    monkeypatch.setattr(replay_module, "_compare", then_ana_comments)
    assert [str(p) for p in check_cases(engine)] == []


def test_an_export_holds_as_many_entries_as_its_header_says(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(engine, "ana", "test.work", "o-1")
    count = export_module._count

    def then_another_analyst_acts(con: Any) -> int:
        counted = count(con)
        record(engine, "bob", "test.work", "o-2")
        return counted

    monkeypatch.setattr(export_module, "_count", then_another_analyst_acts)
    out = tmp_path / "trail.jsonl"
    written = export_trail(engine, out, None)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["entries"] == written
    assert sum(1 for line in lines if line["type"] == "entry") == written


def test_showing_the_trail_lets_analysts_act_meanwhile(
    engine: Engine, settings: Settings, ana: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jalur audit show` of a million entries reads for minutes; its read held the writers'
    lock on SQLite, and every analyst's action meanwhile failed with `database is locked`."""
    add_user(engine, find_user(engine, "root"), "aud", "auditor", PW)
    stream = audit_module.entries
    acted: list[int] = []

    def then_ana_acts(con: Any, obj: Any = None) -> Iterator[Any]:
        yield from stream(con, obj)
        acted.append(record(engine, "ana", "test.work", "o-2").seq)  # the show still reads

    monkeypatch.setattr(audit_module, "entries", then_ana_acts)
    env = {"JALUR_USER": "aud", "JALUR_PASSWORD": PW}
    shown = CliRunner().invoke(
        app, ["--home", str(settings.home), "audit", "show", "--json"], env=env
    )
    assert shown.exit_code == 0, shown.output
    assert len(acted) == 1
    assert acted[0] not in [e["seq"] for e in json.loads(shown.stdout)]
