"""What can go wrong in an exchange, in words an analyst can act on."""

from __future__ import annotations

from typing import Any


class ExchangeError(Exception):
    """A key, card, partner or package problem that stops the command (nothing was changed)."""


class PackageRejectedError(ExchangeError):
    """An incoming package or match offer failed a check; `reason` says which one."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: rejected: {reason}")
        self.source = source
        self.reason = reason


class ImportFailedError(ExchangeError):
    """An import that passed every check failed while storing (rolled back, nothing kept).

    It carries its `import-failed` log entry: a caller that wrapped the import in its own
    transaction rolled that entry back with the rest, and writes it again after.
    """

    def __init__(self, message: str, partner: str, package_id: str, detail: dict[str, Any]):
        super().__init__(message)
        self.partner = partner
        self.package_id = package_id
        self.detail = detail
