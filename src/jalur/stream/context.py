"""What one decision reads: the monitoring parameters, the recent-payment index, the long-lived
counters and the seeds, and what it would write (`Scratch`), kept apart so deciding stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jalur.monitoring import MonitoringParams
from jalur.stream.window import WindowIndex

#: The counters table: key → value (JSON-safe), read by the typologies.
Counters = Mapping[str, Any]


@dataclass(frozen=True)
class Seeds:
    """Accounts known before the payment: screening hits (account → best hit) and accounts
    by topic ('terror', 'drug'), as batch monitoring's seeds."""

    hits: Mapping[str, Mapping[str, Any]]
    by_topic: Mapping[str, frozenset[str]]

    def of(self, topic: str) -> frozenset[str]:
        return self.by_topic.get(topic, frozenset())


@dataclass
class Scratch:
    """Counter values one decision reads and would write, over the stored ones."""

    stored: Counters
    writes: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.writes:
            return self.writes[key]
        return self.stored.get(key, default)

    def put(self, key: str, value: Any) -> None:
        self.writes[key] = value


@dataclass
class Context:
    """The read side of a decision."""

    params: MonitoringParams
    index: WindowIndex
    seeds: Seeds
    scratch: Scratch
