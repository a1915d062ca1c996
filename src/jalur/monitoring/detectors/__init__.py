"""The typology detectors, by name, in the order a monitoring pass runs them."""

from __future__ import annotations

from jalur.monitoring.detectors.amounts import AMOUNT_ANOMALY
from jalur.monitoring.detectors.base import Feature, Finding, Typology
from jalur.monitoring.detectors.bipartite import BIPARTITE
from jalur.monitoring.detectors.chains import CHAIN
from jalur.monitoring.detectors.corridor import CORRIDOR
from jalur.monitoring.detectors.cycles import CYCLE
from jalur.monitoring.detectors.fans import FAN_IN, FAN_OUT
from jalur.monitoring.detectors.funnel import CASH_FUNNEL
from jalur.monitoring.detectors.gather_scatter import GATHER_SCATTER
from jalur.monitoring.detectors.listed import LISTED_COUNTERPARTY
from jalur.monitoring.detectors.pass_through import PASS_THROUGH
from jalur.monitoring.detectors.scatter_gather import SCATTER_GATHER
from jalur.monitoring.detectors.split import SPLIT_PAYMENTS
from jalur.monitoring.detectors.stack import STACK
from jalur.monitoring.detectors.structuring import STRUCTURING

TYPOLOGIES: dict[str, Typology] = {
    t.name: t
    for t in (
        STRUCTURING,
        AMOUNT_ANOMALY,
        SPLIT_PAYMENTS,
        FAN_IN,
        FAN_OUT,
        CYCLE,
        CHAIN,
        SCATTER_GATHER,
        GATHER_SCATTER,
        BIPARTITE,
        STACK,
        PASS_THROUGH,
        CASH_FUNNEL,
        CORRIDOR,
        LISTED_COUNTERPARTY,
    )
}

__all__ = ["TYPOLOGIES", "Feature", "Finding", "Typology"]
