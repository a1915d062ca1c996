"""What one running app holds: settings, the SQL engine, the analytical store, jobs, screening.

Built once by `create_app` and kept on `app.state.service`; the access layer reads everything
through it. Nothing here decides who sees what (that is `access`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine

from jalur import lists
from jalur.api.analytic import Analytic
from jalur.api.jobs import Jobs
from jalur.api.settings import ServiceSettings
from jalur.screening import Hit, Query, Screener, ScreeningConfig
from jalur.store import Store


@dataclass
class Screening:
    """One warm screener for the whole server, rebuilt when a list version changes.

    Screening is a few milliseconds; calls take turns on a lock because the screener keeps a
    cache of recent queries that is not safe to change from two threads at once."""

    config: ScreeningConfig
    _screener: Screener | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def screen(self, store: Store, query: Query, threshold: float | None) -> list[Hit]:
        current = max((v.version_id for v in lists.current_versions(store)), default=0)
        with self._lock:
            if self._screener is None or self._screener.index.version != current:
                self._screener = Screener.from_store(store, self.config).prepare()
            return self._screener.screen(query, threshold)


@dataclass
class Service:
    settings: ServiceSettings
    engine: Engine
    analytic: Analytic
    jobs: Jobs
    screening: Screening
    #: The installation's own agency (what unmarked data belongs to); fixed at migration.
    default_agency: str = "DEFAULT"

    def close(self) -> None:
        self.jobs.close()
        self.analytic.close()
        self.engine.dispose()
