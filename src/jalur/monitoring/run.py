"""One monitoring pass: stage the payments, run every typology, score, explain, record.

The pass is the same on every engine: staging, detectors and the exposure kernel only talk
to the `Engine` seam; seeds (screening hits, flags) and the results live in the workspace
store.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from jalur.monitoring.alerts import Alert, score
from jalur.monitoring.detectors import TYPOLOGIES
from jalur.monitoring.detectors.base import Finding
from jalur.monitoring.engines.base import Engine
from jalur.monitoring.exposure import measure
from jalur.monitoring.exposure_typology import EXPOSURE, exposure_findings
from jalur.monitoring.params import MonitoringParams
from jalur.monitoring.persist import not_found_again, save_run, started_at
from jalur.monitoring.seeds import Seeds, load_seeds
from jalur.monitoring.staging import EDGES, stage, unstage
from jalur.store import Store

log = logging.getLogger(__name__)

HITS = "mon_hits"


@dataclass
class RunReport:
    """What one pass did: alerts by typology, timings, how many payments it saw."""

    run_id: str
    engine: str
    payments: int  # between two known, different accounts: the payment graph detectors read
    alerts: list[Alert]
    seconds: dict[str, float] = field(default_factory=dict)
    loaded: int = 0  # every loaded payment (what `tx show` counts); threshold rules read these
    exposure: pa.Table | None = None
    #: Per typology, alerts of the latest earlier pass that ran it which this one did not find
    #: again (`persist.not_found_again`): they stay stored under the pass that found them.
    not_found_again: dict[str, int] = field(default_factory=dict)
    owner: str | None = None  # the agency the pass ran for (None: the workspace's own)

    def by_typology(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for alert in self.alerts:
            counts[alert.typology] = counts.get(alert.typology, 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> dict[str, Any]:
        """The pass as `monitor run --json` and the stored run say it (`not_found_again` and
        `owner` only where there are some)."""
        found: dict[str, Any] = {
            "run_id": self.run_id,
            "engine": self.engine,
            "payments": self.payments,
            "payments_loaded": self.loaded,
            "alerts": len(self.alerts),
            "by_typology": self.by_typology(),
            "seconds": self.seconds,
            "exposed_accounts": 0 if self.exposure is None else self.exposure.num_rows,
        }
        if self.not_found_again:
            found["not_found_again"] = self.not_found_again
        if self.owner is not None:
            found["owner"] = self.owner
        return found


def detect(
    engine: Engine,
    params: MonitoringParams,
    seeds: Seeds,
    typologies: list[str] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> RunReport:
    """Run the typologies on the engine's `transactions`; nothing is written anywhere."""
    began = datetime.now(UTC)
    report = RunReport(run_id=started_at(began), engine=engine.name, payments=0, alerts=[])
    clock = time.perf_counter()
    if on_stage:
        on_stage("staging payments")
    stage(engine)
    engine.register(HITS, seeds.hits)
    report.payments = int(engine.query(f"SELECT COUNT(*) AS n FROM {EDGES}")["n"][0].as_py())
    report.loaded = int(engine.query("SELECT COUNT(*) AS n FROM transactions")["n"][0].as_py())
    report.seconds["staging"] = round(time.perf_counter() - clock, 3)
    for name in dict.fromkeys(typologies or params.typologies):  # a name given twice runs once
        if on_stage:
            on_stage(name)
        clock = time.perf_counter()
        report.alerts.extend(_run_one(engine, params, seeds, name, report))
        report.seconds[name] = round(time.perf_counter() - clock, 3)
        log.info("%s: %.1fs", name, report.seconds[name])
    engine.drop(HITS)
    unstage(engine)
    report.alerts.sort(key=lambda a: (-a.score, a.alert_id))
    return report


def _run_one(
    engine: Engine, params: MonitoringParams, seeds: Seeds, name: str, report: RunReport
) -> list[Alert]:
    settings = params.detecting(name)
    if name == "exposure":
        report.exposure = measure(engine, seeds.by_topic, settings)
        found: list[Finding] = exposure_findings(report.exposure, settings)
        return [score(f, EXPOSURE, settings) for f in found]
    typology = TYPOLOGIES[name]
    if typology.find is None:
        raise TypeError(f"typology {name} has no finder")
    return [score(f, typology, settings) for f in typology.find(engine, settings)]


def monitor(
    store: Store,
    engine: Engine,
    params: MonitoringParams,
    hits: pa.Table | None = None,
    typologies: list[str] | None = None,
    on_stage: Callable[[str], None] | None = None,
    owner: str | None = None,
    before_save: Callable[[RunReport], None] | None = None,
    seeds: Seeds | None = None,
) -> RunReport:
    """A full pass over the workspace: seeds from the store, alerts saved to it.

    `on_stage` hears each stage as it begins: staging, then each typology (a progress bar).
    `owner`: the agency a pass over its own payments runs for, when that is not the workspace's
    own (the service's default agency). Its alerts get ids of their own (`owned_by`), so they
    never replace the workspace's or another agency's alerts of the same structure; it seeds
    from no flags or screening hits of the workspace (those are the workspace's own findings)
    unless `hits` are given, and leaves the workspace's latest exposure of every account alone.
    `before_save` hears the finished pass before anything of it is written (the service marks
    the run then: no reader ever meets an alert of a run without its marking).
    `seeds`: the seeds themselves, chosen by the caller (the service: from the lists and
    findings its user may see, `hits` and `owner` then say nothing of them).
    """
    began = datetime.now(UTC)
    if seeds is None:
        seeds = load_seeds(store, hits, workspace=owner is None)
    report = detect(engine, params, seeds, typologies, on_stage)
    if owner is not None:
        report.alerts = sorted(
            (owned_by(a, owner) for a in report.alerts), key=lambda a: (-a.score, a.alert_id)
        )
    report.owner = owner
    stages = [name for name in report.seconds if name != "staging"]
    report.not_found_again = not_found_again(
        store, stages, {a.alert_id for a in report.alerts}, owner
    )
    run = {
        "run_id": report.run_id,
        "started": began,
        "finished": datetime.now(UTC),
        "engine": engine.name,
        "payments": report.payments,
        "summary": report.summary(),
    }
    if before_save:
        before_save(report)
    save_run(store, run, report.alerts, report.exposure if owner is None else None)
    return report


def owned_by(alert: Alert, owner: str) -> Alert:
    """The alert as found in `owner`'s payments: the same structure, an id of its own."""
    digest = hashlib.sha256(f"{owner}\x1f{alert.alert_id}".encode()).hexdigest()
    return replace(alert, alert_id=f"ALR-{digest[:16]}")
