"""What one running app holds: settings, the SQL engine, the analytical store, jobs, screening.

Built once by `create_app` and kept on `app.state.service`; the access layer reads everything
through it. Nothing here decides who sees what (that is `access`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from jalur import lists
from jalur.api.analytic import Analytic
from jalur.api.jobs import Jobs
from jalur.api.kept import Bearers, Changes, Kept
from jalur.api.settings import ServiceSettings
from jalur.screening import Hit, Query, Screener, ScreeningConfig, warm_screener
from jalur.store import Store
from jalur.users import Marking

#: The hits the shared screener keeps per query, on every agency's lists together.
ALL_HITS = 1000


@dataclass
class Screening:
    """One warm screener for the whole server, kept current with the lists.

    At start it is the index the workspace keeps (`warm_screener`: loaded, not rebuilt, when
    the lists have not changed since it was stored); a new list version is then applied from
    its delta (`Screener.refresh`) rather than by a rebuild. Screening is a few milliseconds;
    calls take turns on a lock because the screener keeps a cache of recent queries that is
    not safe to change from two threads at once.

    The index holds every agency's lists, so it answers every hit at or above the threshold
    (`ALL_HITS`), not the configured `max_hits`: each caller keeps those on the lists it sees
    and then the best `max_hits`. Cut first, another agency's lookalike entries filled the
    places and a caller lost its true hits on its own list (or got fewer, telling of them)."""

    config: ScreeningConfig
    #: Where the workspace keeps its stored index (None: build in memory only).
    folder: Path | None = None
    _screener: Screener | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def max_hits(self) -> int:
        """How many hits one caller is given at most (the workspace's `max_hits`)."""
        return self.config.max_hits

    def _every_hit(self) -> ScreeningConfig:
        return replace(self.config, max_hits=max(self.config.max_hits, ALL_HITS))

    def warm(self, store: Store) -> None:
        """Load (or build and store) the index now, before the first query needs it, and
        compile what its queries would compile one by one (`Screener.precompile`)."""
        with self._lock:
            if self._screener is None:
                self._screener = warm_screener(store, self.folder, self._every_hit())
            screener = self._screener
        screener.precompile()  # thread-safe (a cache), so queries need not wait for it

    def screen(
        self,
        stores: Callable[[], AbstractContextManager[Store]],
        query: Query,
        threshold: float | None,
        current: int,
    ) -> list[Hit]:
        """Hits for `query`; `current` is the newest list version the caller's snapshot of the
        store holds. The store (`stores` opens a reader) is read only when the index must be
        loaded or brought up to `current`: a query against a current index touches no file."""
        with self._lock:
            if self._screener is None or self._screener.index.version != current:
                with stores() as store:
                    self._current(store, current)
            assert self._screener is not None
            return self._screener.screen(query, threshold)

    def _current(self, store: Store, current: int) -> None:
        """The screener, loaded and at list version `current` (lock held)."""
        if self._screener is None:
            self._screener = warm_screener(store, self.folder, self._every_hit())
        if self._screener.index.version < current:
            self._screener.refresh(store)
        elif self._screener.index.version > current:  # a list rolled back: start again
            self._screener = Screener.from_store(store, self._every_hit()).prepare()


class Listings:
    """What every request asks of the lists, read once per state of the store: the current
    versions, and listed entities' FtM data by id (bounded). A writer's job (a load) moves the
    store's generation on, and what was kept is dropped; only this process writes the file
    while the server runs (`analytic`), so nothing else can make it stale."""

    MAX_ENTITIES = 50_000

    def __init__(self, analytic: Analytic) -> None:
        self._analytic = analytic
        self._lock = threading.Lock()
        self._generation = -1
        self._versions: list[lists.ListVersion] = []
        self._entities: dict[str, list[tuple[str, int, str]]] = {}

    def _fresh(self) -> int:
        generation = self._analytic.generation
        if generation != self._generation:
            with self._analytic.reader() as store:
                versions = lists.current_versions(store)
            with self._lock:
                self._versions, self._entities = versions, {}
                self._generation = generation
        return generation

    def current_versions(self) -> list[lists.ListVersion]:
        self._fresh()
        return list(self._versions)

    def entries(self, entity_ids: list[str]) -> dict[str, list[tuple[str, int, str]]]:
        """(list name, version id, FtM JSON) of each id on every current list version."""
        self._fresh()
        with self._lock:
            known = {i: self._entities[i] for i in entity_ids if i in self._entities}
            versions = [v.version_id for v in self._versions]
        missing = [i for i in entity_ids if i not in known]
        if missing and versions:
            with self._analytic.reader() as store:
                rows = store.execute(
                    """SELECT entity_id, list_name, version_id, data FROM list_entities
                       WHERE entity_id IN (SELECT unnest(?)) AND version_id IN (SELECT unnest(?))
                       ORDER BY entity_id, list_name""",
                    [missing, versions],
                ).fetchall()
            found: dict[str, list[tuple[str, int, str]]] = {i: [] for i in missing}
            for entity_id, list_name, version_id, data in rows:
                found[entity_id].append((list_name, version_id, data))
            with self._lock:
                if len(self._entities) + len(found) > self.MAX_ENTITIES:
                    self._entities.clear()
                self._entities.update(found)
            known.update(found)
        return known


@dataclass
class Service:
    settings: ServiceSettings
    engine: Engine
    analytic: Analytic
    jobs: Jobs
    screening: Screening
    #: The installation's own agency (what unmarked data belongs to); fixed at migration.
    default_agency: str = "DEFAULT"
    #: For reads only (sign-in checks, markings, cases shown): on SQLite its transactions are
    #: DEFERRED, so readers do not queue on the writers' lock. `engine` itself when unset.
    reads: Engine | None = None

    listings: Listings | None = None
    #: The thread loading the screening index at start (joined on close).
    warming: threading.Thread | None = None
    #: Who bearer secrets stand for and every marking of a kind, kept between requests until
    #: this process writes the transactional store (`kept`).
    bearers: Bearers = field(init=False)
    markings: Kept[dict[str, Marking]] = field(init=False)
    #: Each case as `cases.case_details` reads it (every request for a case read it afresh).
    case_details: Kept[dict[str, Any] | None] = field(init=False)

    def __post_init__(self) -> None:
        if self.listings is None:
            self.listings = Listings(self.analytic)
        changes = Changes(self.engine)
        self.bearers = Bearers(self.reader, changes, self.settings.clock)
        self.markings = Kept(changes, self.settings.clock)
        self.case_details = Kept(changes, self.settings.clock)

    @property
    def reader(self) -> Engine:
        return self.reads or self.engine

    def close(self) -> None:
        if self.warming is not None:
            self.warming.join()
        self.jobs.close()
        self.analytic.close()
        if self.reads is not None and self.reads is not self.engine:
            self.reads.dispose()
        self.engine.dispose()
