"""Workspace settings: where the state lives and what the user configured.

One frozen `Settings` object is built at the entry point (CLI, API) and passed in; nothing
reads the environment at import time. Each capability keeps its defaults next to its code and
reads its own section of the workspace's `jalur.toml`, so a user edits one file.

The workspace holds RESTRICTED data (partners' packages, watchlists, payments) and the agency's
sealed keys, so what jalur creates there is private to the user: directories 0700, files 0600.
An existing workspace is never re-permissioned behind the user's back; `exposure` says what is
open to others and the command line warns with the `chmod` that fixes it.
"""

from __future__ import annotations

import os
import stat
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOME_ENV = "JALUR_HOME"
DEFAULT_HOME = Path("jalur-home")
CONFIG_FILE = "jalur.toml"
DATABASE_FILE = "jalur.duckdb"
SQL_FILE = "jalur.sqlite"  # the transactional store (users, cases, audit) unless [database] url
SEALS_FILE = "audit-seals.jsonl"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


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

    @property
    def seals_path(self) -> Path:
        """Signed heads of the audit chains, kept outside the database file.

        `[audit] seals_file` in `jalur.toml` can put it on another volume (append-only storage,
        a backup that is not restored together with the database), relative to the workspace.
        """
        configured = self.section("audit").get("seals_file")
        if configured is None:
            return self.home / SEALS_FILE
        if not isinstance(configured, str) or not configured:
            raise ConfigError(f"{CONFIG_FILE}: [audit] seals_file must be a path")
        return self.home / Path(configured).expanduser()

    def section(self, name: str) -> dict[str, Any]:
        """The user's `[name]` table from `jalur.toml` (empty when absent)."""
        value = self.overrides.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{CONFIG_FILE}: [{name}] must be a table")
        return value

    def ensure_home(self) -> Path:
        """Create the workspace and its artefacts folder private (0700) when they are missing."""
        private_dir(self.home)
        private_dir(self.artefacts)
        return self.home

    def exposure(self) -> list[str]:
        """Workspace paths that group or others may read or enter, each with its chmod fix."""
        candidates = [
            (self.home, PRIVATE_DIR),
            (self.artefacts, PRIVATE_DIR),
            (self.home / "agency", PRIVATE_DIR),
            (self.database_path, PRIVATE_FILE),
            (self.database_path.with_name(DATABASE_FILE + ".wal"), PRIVATE_FILE),
            (self.home / SQL_FILE, PRIVATE_FILE),
            (self.home / (SQL_FILE + "-wal"), PRIVATE_FILE),  # SQLite's WAL mode: the
            (self.home / (SQL_FILE + "-shm"), PRIVATE_FILE),  # recent writes, not yet merged
            (self.home / "uploads", PRIVATE_DIR),  # the API's uploaded lists and payments
        ]
        with suppress(ConfigError):  # the command that needs the seals file reports it
            candidates.append((self.seals_path, PRIVATE_FILE))
        found = []
        for path, wanted in candidates:
            try:
                mode = stat.S_IMODE(path.stat().st_mode)
            except OSError:
                continue
            if mode & 0o077:
                found.append(f"{path} is mode {mode:04o}: chmod {wanted:o} {path}")
        return found


def private_dir(path: Path) -> None:
    """mkdir -p whose last folder (when it is new) only the user may open; leaves existing ones."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        return
    path.chmod(PRIVATE_DIR)  # mkdir's mode is masked by the umask; make it exact


def _read_config(home: Path) -> dict[str, Any]:
    path = home / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except OSError as exc:  # a folder of that name, a file this user may not read
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
