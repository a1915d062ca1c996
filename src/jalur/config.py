"""Workspace settings: where the state lives and what the user configured.

One frozen `Settings` object is built at the entry point (CLI, API) and passed in; nothing
reads the environment at import time. Each capability keeps its defaults next to its code and
reads its own section of the workspace's `jalur.toml`, so a user edits one file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOME_ENV = "JALUR_HOME"
DEFAULT_HOME = Path("jalur-home")
CONFIG_FILE = "jalur.toml"
DATABASE_FILE = "jalur.duckdb"


class ConfigError(ValueError):
    """The workspace configuration file cannot be read or is not what we expect."""


@dataclass(frozen=True)
class Settings:
    """Where one jalur workspace lives and the user's configuration for it."""

    home: Path
    overrides: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def resolve(cls, home: Path | str | None = None) -> Settings:
        """`--home` wins, then `JALUR_HOME`, then `./jalur-home`."""
        chosen = Path(home) if home else Path(os.environ.get(HOME_ENV) or DEFAULT_HOME)
        return cls(home=chosen.expanduser().resolve(), overrides=_read_config(chosen))

    @property
    def database_path(self) -> Path:
        return self.home / DATABASE_FILE

    @property
    def artefacts(self) -> Path:
        """Files the workspace produces (graphs, reports, packages)."""
        return self.home / "artefacts"

    def section(self, name: str) -> dict[str, Any]:
        """The user's `[name]` table from `jalur.toml` (empty when absent)."""
        value = self.overrides.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{CONFIG_FILE}: [{name}] must be a table")
        return value

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        self.artefacts.mkdir(parents=True, exist_ok=True)
        return self.home


def _read_config(home: Path) -> dict[str, Any]:
    path = home / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
