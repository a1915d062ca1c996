"""The one error a whole load fails with: the source as a whole cannot be read."""

from __future__ import annotations


class TransactionLoadError(ValueError):
    """The file (not one record) is unusable: missing, unknown format, no expected header.

    Record-level problems never raise; they are quarantined and counted as rejected.
    """

    def __init__(self, source: str, location: str, reason: str) -> None:
        super().__init__(f"{source}: {location}: {reason}")
        self.source, self.location, self.reason = source, location, reason
