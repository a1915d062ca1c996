"""The stream's settings: `defaults.toml` overlaid by `[stream]` in jalur.toml, with the
typology parameters of `[monitoring]` (the same as the batch pass) and the rate table of
`[transactions]` (the one `tx load` converts with) for payments that come without a
reporting-currency amount."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jalur.config import ConfigError
from jalur.monitoring import MonitoringParams, load_params
from jalur.monitoring.params import DAY, HOUR
from jalur.transactions import RateTable, load_rates

KNOWN = (
    "structuring", "fan_in", "fan_out", "gather_scatter", "cycle", "scatter_gather",
    "pass_through", "cash_funnel", "corridor", "listed_counterparty", "drug_to_terror",
)  # fmt: skip

#: What a state commit waits for ([stream.state] synchronous): "normal", the OS has the log (a
#: killed process loses nothing); "full", the disk has it (a power cut loses nothing either,
#: at an fsync per batch).
SYNCHRONOUS = ("normal", "full")


@dataclass(frozen=True)
class StreamConfig:
    """What the decision path checks and how it decides."""

    tables: Mapping[str, Mapping[str, Any]]
    monitoring: MonitoringParams
    rates: RateTable = field(default_factory=load_rates)

    @property
    def typologies(self) -> list[str]:
        return list(self.tables["run"]["typologies"])

    def section(self, name: str) -> Mapping[str, Any]:
        return self.tables[name]

    @property
    def horizon(self) -> int:
        """Seconds of payments the windows need: the longest typology's reach."""
        of = self.monitoring.of
        reach = [
            2 * float(of("cash_funnel")["window_days"]) * DAY
            + float(of("cash_funnel")["window_days"]) * DAY / 2,
            float(of("cycle")["window_days"]) * DAY,
            float(of("scatter_gather")["window_days"]) * DAY,
            float(of("fan_in")["window_days"]) * DAY,
            float(of("fan_out")["window_days"]) * DAY,
            float(of("gather_scatter")["window_days"]) * DAY,
            float(of("structuring")["window_days"]) * DAY,
            float(of("pass_through")["max_hours"]) * HOUR,
        ]
        return int(max(reach)) + DAY


def load_config(
    stream: Mapping[str, Any] | None = None,
    monitoring: Mapping[str, Any] | None = None,
    transactions: Mapping[str, Any] | None = None,
) -> StreamConfig:
    """Defaults overlaid by the user's `[stream]` table; `monitoring`: the `[monitoring]` one;
    `transactions`: the `[transactions]` one (its `rates` file and `reporting_currency`)."""
    text = resources.files("jalur.stream").joinpath("defaults.toml").read_text("utf-8")
    tables: dict[str, Any] = tomllib.loads(text)
    for name, values in dict(stream or {}).items():
        if name not in tables or not isinstance(values, dict):
            raise ConfigError(f"[stream] has no table {name!r} (known: {', '.join(tables)})")
        for key, value in values.items():
            if key not in tables[name]:
                raise ConfigError(f"[stream.{name}] has no setting {key!r}")
            tables[name][key] = value
    if str(tables["state"]["synchronous"]).lower() not in SYNCHRONOUS:
        raise ConfigError(
            f"[stream.state] synchronous: {tables['state']['synchronous']!r} is not one of "
            f"{', '.join(SYNCHRONOUS)}"
        )
    for span in ("counter_days", "decision_days", "future_hours"):
        value = tables["state"][span]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            unit = span.split("_")[1]
            raise ConfigError(f"[stream.state] {span}: {value!r} is not a number of {unit} above 0")
    unknown = [t for t in tables["run"]["typologies"] if t not in KNOWN]
    if unknown:
        raise ConfigError(f"[stream.run] typologies: unknown {', '.join(unknown)}")
    return StreamConfig(
        tables=tables,
        monitoring=load_params(monitoring, _reporting(transactions or {})),
        rates=_rates(transactions or {}),
    )


def _reporting(section: Mapping[str, Any]) -> str:
    """The currency payments are converted to, which explanations name beside amounts."""
    return str(section.get("reporting_currency", "USD"))


def _rates(section: Mapping[str, Any]) -> RateTable:
    try:
        return load_rates(
            Path(section["rates"]) if "rates" in section else None,
            _reporting(section),
        )
    except ValueError as exc:  # RateTableError
        raise ConfigError(f"[transactions] rates: {exc}") from exc
