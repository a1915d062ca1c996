"""Screening thresholds and weights: defaults in data/defaults.toml, overrides in jalur.toml.

The defaults file says which evaluation set chose each value; a workspace overrides any of them
under `[screening]` (and `[screening.weights]`) in its `jalur.toml`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from jalur.config import ConfigError, Settings


@dataclass(frozen=True)
class ScreeningConfig:
    """How hits are scored and which are reported."""

    threshold: float
    max_hits: int
    rarity_floor: float
    weights: dict[str, float] = field(default_factory=dict)

    @classmethod
    def defaults(cls) -> ScreeningConfig:
        text = resources.files("jalur.screening").joinpath("data/defaults.toml").read_text("utf-8")
        return cls.from_mapping(tomllib.loads(text))

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> ScreeningConfig:
        try:
            return cls(
                threshold=float(raw["threshold"]),
                max_hits=int(raw["max_hits"]),
                rarity_floor=float(raw["rarity_floor"]),
                weights={str(k): float(v) for k, v in raw["weights"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"[screening]: {exc!r}") from exc

    @classmethod
    def for_settings(cls, settings: Settings | None) -> ScreeningConfig:
        """Defaults with the workspace's `[screening]` overrides applied."""
        base = cls.defaults()
        if settings is None:
            return base
        return base.override(settings.section("screening"))

    def override(self, section: dict[str, Any]) -> ScreeningConfig:
        unknown = set(section) - {"threshold", "max_hits", "rarity_floor", "weights"}
        if unknown:
            raise ConfigError(f"[screening]: unknown settings {sorted(unknown)}")
        weights = dict(self.weights)
        extra = section.get("weights", {})
        if not isinstance(extra, dict) or set(extra) - set(weights):
            raise ConfigError(f"[screening.weights]: known weights are {sorted(weights)}")
        weights.update({k: float(v) for k, v in extra.items()})
        merged = {**self.__dict__, **section, "weights": weights}
        return ScreeningConfig.from_mapping(merged)

    def with_threshold(self, threshold: float | None) -> ScreeningConfig:
        if threshold is None:
            return self
        if not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"threshold {threshold} is not between 0 and 1")
        return replace(self, threshold=threshold)
