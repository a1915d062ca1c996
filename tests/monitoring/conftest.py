"""Monitoring fixtures: parameters, a DuckDB engine over a store with hand-built payments."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from monitoring_builders import load, no_seeds

from jalur.monitoring import Alert, Engine, MonitoringParams, Seeds, detect, load_params
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.store import Store

Run = Callable[..., list[Alert]]


@pytest.fixture
def params() -> MonitoringParams:
    return load_params()


@pytest.fixture
def engine(store: Store) -> Iterator[Engine]:
    engine = DuckDBEngine(store)
    yield engine
    engine.close()


@pytest.fixture
def run_typology(store: Store, engine: Engine) -> Run:
    """Load `rows`, run one typology (with overrides), return its alerts."""

    def run(
        rows: list[dict[str, Any]],
        typology: str,
        seeds: Seeds | None = None,
        **overrides: Any,
    ) -> list[Alert]:
        load(store, rows)
        params = load_params({typology: overrides} if overrides else {})
        return detect(engine, params, seeds or no_seeds(), [typology]).alerts

    return run
