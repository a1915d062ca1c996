"""The stream's settings: `defaults.toml` overlaid by `[stream]` in jalur.toml, with the
typology parameters of `[monitoring]` (the same as the batch pass) and the rate table of
`[transactions]` (the one `tx load` converts with) for payments that come without a
reporting-currency amount."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
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
    tables = _defaults()
    for name, values in dict(stream or {}).items():
        if name not in tables or not isinstance(values, dict):
            raise ConfigError(f"[stream] has no table {name!r} (known: {', '.join(tables)})")
        for key, value in values.items():
            if key not in tables[name]:
                raise ConfigError(f"[stream.{name}] has no setting {key!r}")
            tables[name][key] = value
    _check_kinds(tables, _defaults())
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


#: Scores a decision compares with (screening's and the risk model's): in [0, 1].
SCORES = ("hold_hit_score", "review_score", "hold_score")


def _defaults() -> dict[str, Any]:
    text = resources.files("jalur.stream").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def _check_kinds(tables: Mapping[str, Mapping[str, Any]], defaults: Mapping[str, Any]) -> None:
    """Each setting of the kind its default is: a list of texts, a text, a number. A text
    where a list goes was read letter by letter (`hold = "screening:terror"` held nothing);
    `[stream.nats] batch = 0` was a traceback at the first fetch."""
    for name, table in tables.items():
        for key, value in table.items():
            where = f"[stream.{name}] {key}"
            if isinstance(defaults[name][key], list):
                _check_texts(value, where)
            elif isinstance(defaults[name][key], str):
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(f"{where} must be text, not {value!r}")
            elif key in SCORES:
                _check_number(value, where, lambda v: 0 <= v <= 1, "between 0 and 1")
    nats = tables["nats"]
    batch = nats["batch"]
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ConfigError(
            f"[stream.nats] batch must be a whole number of at least 1, not {batch!r}"
        )
    _check_number(nats["ack_wait"], "[stream.nats] ack_wait", lambda v: v > 0, "of seconds above 0")


def _check_texts(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list of texts, not {value!r}")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(f"{where} item {number} must be text, not {item!r}")


def _check_number(value: Any, where: str, sound: Callable[[float], bool], words: str) -> None:
    """A finite number that passes `sound`; `words` says what that means."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or not sound(value):
        raise ConfigError(f"{where} must be a number {words}, not {value!r}")


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
