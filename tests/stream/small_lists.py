"""A two-entry watchlist: a terror-listed person and a sanctioned bank with its BIC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jalur.model import make_entity
from jalur.monitoring import HITS_SCHEMA
from jalur.monitoring import Seeds as MonitoringSeeds
from jalur.screening import Screener, ScreeningConfig, build_index
from jalur.stream import Decider, RiskScorer, StateStore, Watch, load_config, seeds_of

LISTED_PERSON = "Abu Bakr Tahiruddin Al-Qaswari"
LISTED_BIC = "SANKIRTHXXX"


def small_watch() -> Watch:
    person = make_entity("Person", "T-1")
    person.add("name", LISTED_PERSON)
    person.add("topics", "crime.terror")
    bank = make_entity("Organization", "S-1")
    bank.add("name", "Sanctioned Bank of Nowhere")
    bank.add("swiftBic", LISTED_BIC)
    bank.add("topics", "sanction")
    index = build_index(
        [(person, "un_sc", "QDi.900", ["crime.terror"]), (bank, "ofac", "SDN-1", ["sanction"])]
    )
    return Watch.of(Screener(index, ScreeningConfig.defaults()).prepare())


def small_seeds() -> MonitoringSeeds:
    return MonitoringSeeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())


def small_decider(state: Path, risk: RiskScorer | None = None, **stream: Any) -> Decider:
    config = load_config(stream)
    return Decider(StateStore(state), config, seeds_of(small_seeds()), small_watch(), risk)


def payment(tx_id: str, **fields: Any) -> dict[str, Any]:
    """Canonical JSON for one wire of 1,000 USD between two ordinary parties."""
    base = {
        "tx_id": tx_id,
        "timestamp": "2026-03-02T10:00:00Z",
        "orig_account": "ID-ACC-1",
        "orig_name": "Siti Rahmawati",
        "orig_country": "ID",
        "bene_account": "ID-ACC-2",
        "bene_name": "Budi Santoso",
        "bene_country": "ID",
        "amount": 1000.0,
        "currency": "USD",
        "channel": "wire",
    }
    return {**base, **fields}
