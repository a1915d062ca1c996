"""Thresholds and weights: defaults from the data file, overrides from jalur.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.config import ConfigError, Settings
from jalur.screening import ScreeningConfig


def test_defaults_load() -> None:
    config = ScreeningConfig.defaults()
    assert 0.0 < config.threshold < 1.0
    assert {"bias", "name_query_coverage", "birth_date", "identifier"} <= set(config.weights)


def test_workspace_overrides(tmp_path: Path) -> None:
    (tmp_path / "jalur.toml").write_text(
        "[screening]\nthreshold = 0.9\n[screening.weights]\ncountry = 2.5\n"
    )
    config = ScreeningConfig.for_settings(Settings.resolve(tmp_path))
    assert config.threshold == 0.9
    assert config.weights["country"] == 2.5
    assert config.weights["bias"] == ScreeningConfig.defaults().weights["bias"]


@pytest.mark.parametrize(
    "section", [{"treshold": 0.5}, {"weights": {"colour": 1.0}}, {"threshold": "high"}]
)
def test_bad_overrides_are_refused(section: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        ScreeningConfig.defaults().override(section)


def test_threshold_out_of_range() -> None:
    with pytest.raises(ConfigError):
        ScreeningConfig.defaults().with_threshold(1.5)
