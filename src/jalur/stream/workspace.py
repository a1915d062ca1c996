"""A decider for a workspace: its lists, screening hits and flags, its settings, its state file.

The workspace database is read once at start (the screening index, the seeds) and closed
again, so the decider never holds DuckDB's single-writer lock; its own state is a SQLite file
under the workspace (`stream/state.sqlite`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa

from jalur.config import Settings
from jalur.monitoring import Seeds as MonitoringSeeds
from jalur.monitoring import load_seeds
from jalur.screening import Screener
from jalur.store import Store
from jalur.stream.config import StreamConfig, load_config
from jalur.stream.context import Seeds
from jalur.stream.decide import RiskScorer
from jalur.stream.engine import Decider
from jalur.stream.state import ConsumerLock
from jalur.stream.watch import Watch

log = logging.getLogger(__name__)

STATE_FILE = Path("stream") / "state.sqlite"


def state_path(settings: Settings) -> Path:
    return settings.home / STATE_FILE


def config_of(settings: Settings) -> StreamConfig:
    return load_config(
        settings.section("stream"), settings.section("monitoring"), settings.section("transactions")
    )


def seeds_of(seeds: MonitoringSeeds) -> Seeds:
    """The stream's view of monitoring's seeds: the best hit per account, accounts by topic."""
    hits = {str(row["account"]): row for row in seeds.hits.to_pylist() if row["account"]}
    return Seeds(hits=hits, by_topic=dict(seeds.by_topic))


def read_workspace(
    store: Store, hits: pa.Table | None = None, screener: Screener | None = None
) -> tuple[Seeds, Watch]:
    """Seeds and the screening watch from a workspace (no lists loaded: no name screening).

    `screener`: one already built on the same lists (the service's warm index), else built."""
    seeds = seeds_of(load_seeds(store, hits))
    screener = screener or Screener.from_store(store)
    if not screener.index.entities:
        log.warning("no lists loaded: payments are not screened by name")
        return seeds, Watch.of(None)
    return seeds, Watch.of(screener.prepare())


def open_decider(
    settings: Settings,
    risk: RiskScorer | None = None,
    state: Path | None = None,
    writer: ConsumerLock | None = None,
) -> Decider:
    """Read the workspace once, close it, and bind a decider to its state file (held from
    here on; `writer`: its lock where the caller took it already)."""
    config = config_of(settings)
    with Store.open(settings) as store:
        seeds, watch = read_workspace(store)
    return Decider.open(state or state_path(settings), config, seeds, watch, risk, writer)
