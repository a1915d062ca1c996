"""Stream fixtures: a generated economy, its batch alerts, and a decider with no lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jalur.monitoring import HITS_SCHEMA, Seeds, load_params
from jalur.stream import Decider, StateStore, Watch, load_config, seeds_of
from jalur.transactions import GeneratorConfig, generate


@pytest.fixture(scope="session")
def economy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator at seed 7, 12,000 payments: every pattern type planted once or more."""
    out = tmp_path_factory.mktemp("economy")
    generate(GeneratorConfig(transactions=12_000, seed=7), out)
    return out


@pytest.fixture
def decider(tmp_path: Path) -> Iterator[Decider]:
    """A decider with monitoring's default parameters, no lists and no seeds."""
    seeds = Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())
    opened = Decider(
        StateStore(tmp_path / "state.sqlite"), load_config(), seeds_of(seeds), Watch.of(None)
    )
    yield opened
    opened.close()


@pytest.fixture
def params() -> Any:
    return load_params()
