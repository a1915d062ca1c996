"""Sealing while others verify or seal: a seal is written to the seals file and then to the
database, and whoever reads both in between must not take the half-written seal for tampering.

Each test lets the other party in at exactly that moment (a hook after the file is written).
Where the two take turns, the other party cannot get in; the hook then waits a moment for it
and lets the seal finish; the outcome checked is the same however long that moment is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Engine

import jalur.audit.seals as seals_module
from jalur.audit import check_trail, record, seal_trail
from jalur.chain import SealKey
from jalur.config import Settings
from jalur.sqlstore import open_database

PRIVATE = Ed25519PrivateKey.generate()
KEY = SealKey("test-key", PRIVATE.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    record(opened, "sam", "test.work", "o-1")
    yield opened
    opened.dispose()


def _seal(engine: Engine, seals: Path) -> Any:
    return seal_trail(engine, [KEY], KEY.key_id, PRIVATE.sign, seals)


class Meanwhile:
    """Runs `other` in a thread once the first seal is in the seals file and not yet in the
    database; `outcome()` is its result (or exception)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, other: Callable[[], Any]) -> None:
        self.other = other
        self.results: list[Any] = []
        self.thread: threading.Thread | None = None
        self.write = seals_module.append_seal_file
        monkeypatch.setattr(seals_module, "append_seal_file", self.then_the_other)

    def then_the_other(self, path: Path, seal: Any) -> None:
        self.write(path, seal)
        if self.thread is not None:
            return  # the other party's own seal
        self.thread = threading.Thread(target=self.run)
        self.thread.start()
        self.thread.join(timeout=2)  # it finishes now, or it waits for this seal to be done

    def run(self) -> None:
        try:
            self.results.append(self.other())
        except Exception as exc:  # every outcome is looked at
            self.results.append(exc)

    def outcome(self) -> Any:
        assert self.thread is not None
        self.thread.join()
        assert len(self.results) == 1
        return self.results[0]


def test_a_verify_during_a_seal_finds_the_trail_intact(
    engine: Engine, sql_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seals = sql_settings.seals_path
    meanwhile = Meanwhile(monkeypatch, lambda: check_trail(engine, [KEY], seals))
    assert _seal(engine, seals) is not None
    report = meanwhile.outcome()
    assert not isinstance(report, Exception), report
    assert report.problems == []
    assert check_trail(engine, [KEY], seals).problems == []


def test_a_second_seal_during_a_seal_is_not_refused(
    engine: Engine, sql_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seals = sql_settings.seals_path
    meanwhile = Meanwhile(monkeypatch, lambda: _seal(engine, seals))
    assert _seal(engine, seals) is not None
    second = meanwhile.outcome()
    assert not isinstance(second, Exception), second
    assert check_trail(engine, [KEY], seals).problems == []
