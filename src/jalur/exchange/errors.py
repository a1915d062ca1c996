"""What can go wrong in an exchange, in words an analyst can act on."""

from __future__ import annotations


class ExchangeError(Exception):
    """A key, card, partner or package problem that stops the command (nothing was changed)."""


class PackageRejectedError(ExchangeError):
    """An incoming package or match offer failed a check; `reason` says which one."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: rejected: {reason}")
        self.source = source
        self.reason = reason
