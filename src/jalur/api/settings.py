"""The service's own settings: `[service]` in the workspace's jalur.toml, with defaults here.

[service]
token_ttl_s = 3600          # a bearer token's life
max_failed_sign_ins = 5     # per user name within failure_window_s, then refused
failure_window_s = 900
max_upload_bytes = 52428800 # a bigger upload is refused (413) before anything is stored
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from jalur.canonical import utcnow
from jalur.config import CONFIG_FILE, ConfigError, Settings


@dataclass(frozen=True)
class ServiceSettings:
    """What the app needs besides the workspace: limits, lifetimes and the clock."""

    workspace: Settings
    token_ttl_s: int = 3600
    max_failed_sign_ins: int = 5
    failure_window_s: int = 900
    max_upload_bytes: int = 50 * 1024 * 1024
    #: The time now; tests pass a clock they move to see tokens expire without waiting.
    clock: Callable[[], datetime] = field(default=utcnow, compare=False)

    @classmethod
    def of(cls, workspace: Settings, **changes: object) -> ServiceSettings:
        """The workspace's `[service]` section over the defaults, then `changes` over that."""
        chosen = cls(workspace)
        known = {f.name for f in fields(cls)} - {"workspace", "clock"}
        for key, value in workspace.section("service").items():
            if key not in known:
                raise ConfigError(f"{CONFIG_FILE}: [service] {key} is not a setting")
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{CONFIG_FILE}: [service] {key} must be a positive integer")
            chosen = replace(chosen, **{key: value})  # type: ignore[arg-type]
        return replace(chosen, **changes)  # type: ignore[arg-type]
