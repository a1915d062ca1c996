"""A FIFO or a device given where exchange reads a file is refused by what it is, never opened.

Before, `exchange import`, `agency add-partner` (a card) and a selection from a match-result
file opened the path and waited forever on a FIFO (`stat` says 0 bytes, so the size bound
passed), or read `/dev/zero` until memory ran out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from case_story import ok, run
from jalur.config import Settings
from jalur.exchange import ExchangeError, read_card, select_entities
from jalur.store import Store


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "partner.pipe"
    os.mkfifo(path)
    return path


def test_a_card_that_is_a_fifo_is_refused(fifo: Path) -> None:
    with pytest.raises(ExchangeError, match="FIFO"):
        read_card(fifo)


def test_a_match_result_that_is_a_fifo_is_refused(fifo: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(ExchangeError, match="FIFO"):
        select_entities(store, [f"hits:{fifo}"])


def test_importing_a_fifo_is_refused_by_what_it_is(fifo: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    settings = Settings.resolve(home)
    ok(settings, "agency", "init", "--name", "PPATK", "--country", "ID")
    code, out = run(settings, "exchange", "import", str(fifo))
    assert code != 0
    assert "FIFO" in out, out
